// What a lecturer does in front of a class (issue 9 §5): choose which endpoint
// kube-proxy's DNAT takes, connect a Service to one more pod by dropping on the pod,
// scale a Deployment, delete a pod the packet uses and undo it, reload, press New.
// Each time, the page shows exactly what the engine traces for its own saved state.
import type { Page } from '@playwright/test';
import { compile, trace, type TraceRequest } from '../src/sim/index.ts';
import { SHOTS, currentHop, expect, hopText, listedHops, packetAtRest, saved, shot, test, viewAtRest, wireServiceToPodBody } from './fixtures.ts';

const hopsList = (page: Page) => page.getByRole('list', { name: 'Hops' });
const walkthrough = (page: Page) => page.getByRole('region', { name: 'Walkthrough' });
const stepBy = async (page: Page, n: number) => {
  for (let i = 0; i < n; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
};

/** The engine's hops for what the page saved, following the endpoint the page saved. */
async function engineLines(page: Page): Promise<string[]> {
  const st = await saved(page);
  const r = trace(compile(st.scenario), st.request as TraceRequest, { endpointIndex: st.endpoint ?? 0 });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.hops.map(hopText);
}

/** Send the demo's packet from client to the Service web. */
async function sendToService(page: Page) {
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await expect(hopsList(page).getByRole('listitem').first()).toBeVisible();
}

/** Two pictures: the classroom projector (1280×720) and a big screen (1920×1080). */
async function bothSizes(page: Page, name: string) {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await viewAtRest(page);
    await shot(page, `${name}-${w}x${h}`);
  }
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => (localStorage.clear(), sessionStorage.clear()));
  await page.reload();
});

test('choosing kube-proxy\'s endpoint: the walk follows the pod chosen, and says the kernel would pick at random', async ({ page }) => {
  await sendToService(page);
  const pick = page.getByRole('combobox', { name: 'kube-proxy picks' });
  await expect(pick.getByRole('option')).toHaveText([/^web-1 10\.244\.0\.3$/, /^web-2 10\.244\.1\.2$/]);
  await expect.poll(() => listedHops(page)).toEqual(await engineLines(page));
  expect((await listedHops(page)).some((h) => h.startsWith('node-2'))).toBe(false);
  await stepBy(page, 3);
  await pick.selectOption({ label: 'web-2 10.244.1.2' });
  // The same step, a walk that now crosses to node-2: the engine's walk with endpoint 1.
  expect((await saved(page)).endpoint).toBe(1);
  await expect.poll(() => currentHop(page)).toBe(3);
  await expect.poll(() => listedHops(page)).toEqual(await engineLines(page));
  expect((await listedHops(page)).some((h) => h.startsWith('node-2'))).toBe(true);
  await expect(walkthrough(page)).toContainText('at random per connection in a real cluster');
  await bothSizes(page, 'lecturer-endpoint');
});

test('a Service dropped on the body of a pod it does not select asks, and selects it by a shared label', async ({ page }) => {
  const svc = page.getByLabel(/^service web 10\.96\.0\.\d+$/);
  await expect(svc).toContainText('selector app=web · 2 endpoints');
  await viewAtRest(page);
  // From the Service's handle to the middle of pod client's body (nowhere near its handle).
  await wireServiceToPodBody(page, svc, page.getByLabel('pod client 10.244.0.2', { exact: true }));
  const dialog = page.getByRole('dialog', { name: 'Service web does not select pod client' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: /Widen the selector/ })).toBeDisabled();
  await bothSizes(page, 'lecturer-selector-choice');
  // Keyboard: the first choice has the focus.
  await expect(dialog.getByRole('button', { name: /Label the pod/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(svc).toContainText('selector app=web · 3 endpoints');
  const st = await saved(page);
  expect(st.scenario.pods.find((p) => p.name === 'client')!.labels).toEqual({ app: 'web' });
  expect(st.scenario.services.find((v) => v.name === 'web')!.selector).toEqual({ app: 'web' });
  await expect(page.locator('.react-flow__edge-endpoint')).toHaveCount(3);
});

test('a Deployment from the palette scales up and down: pods named by its ReplicaSet, placed by the scheduler', async ({ page }) => {
  await page.getByRole('button', { name: 'Deployment', exact: true }).click();
  const pods = page.getByLabel(/^pod deploy-1-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5} 10\.244\.\d+\.\d+$/);
  await expect(pods).toHaveCount(2);
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector.getByRole('group', { name: 'Deployment deploy-1' })).toBeVisible();
  await expect(inspector.getByLabel('deploy-1 replicas')).toHaveText('2');
  await inspector.getByRole('button', { name: 'Scale deploy-1 up to 3' }).click();
  await expect(pods).toHaveCount(3);
  // What the ReplicaSet did is said beside the replicas.
  await expect(inspector.getByRole('alert')).toContainText(/the ReplicaSet of Deployment default\/deploy-1 made pod deploy-1-\S+ on node-2 \(10\.244\.1\.\d+\)/);
  let st = await saved(page);
  const own = st.scenario.pods.filter((p) => p.ownerName === 'deploy-1');
  // One per node first, the emptier node first (the demo has client and web-1 on node-1, web-2 on node-2); then the emptier again.
  expect(own.map((p) => p.nodeName)).toEqual(['node-2', 'node-1', 'node-2']);
  await bothSizes(page, 'lecturer-deployment');
  await inspector.getByRole('button', { name: 'Scale deploy-1 down to 2' }).click();
  await expect(pods).toHaveCount(2);
  st = await saved(page);
  // Down: from the node holding most of its pods (node-2), the newest first.
  expect(st.scenario.pods.filter((p) => p.ownerName === 'deploy-1').map((p) => p.name)).toEqual(own.slice(0, 2).map((p) => p.name));
  await expect(inspector.getByLabel('deploy-1 replicas')).toHaveText('2');
  // Dragged in from the palette, the next one is deploy-2, its pods wherever the scheduler puts them.
  await page.getByRole('button', { name: 'Deployment', exact: true }).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 40, y: 40 } });
  await expect(page.getByLabel(/^pod deploy-2-\S+ 10\.244\.\d+\.\d+$/)).toHaveCount(2);
  await expect(inspector.getByRole('group', { name: 'Deployment deploy-2' })).toBeVisible();
});

test('deleting the pod the walk goes to: it follows the other endpoint and says so; deleting its source clears it; Undo brings each back at its step; a reload keeps both', async ({ page }) => {
  await sendToService(page);
  const pick = page.getByRole('combobox', { name: 'kube-proxy picks' });
  await pick.selectOption({ label: 'web-2 10.244.1.2' });
  await stepBy(page, 5);
  const walked = await listedHops(page);
  const web2 = page.getByLabel('pod web-2 10.244.1.2', { exact: true });

  // The Service keeps one endpoint: the walk follows it, and the page says why the walk changed.
  await web2.click();
  await page.getByRole('button', { name: 'Delete pod' }).click();
  await expect(web2).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Pod web-2, which the walk went to, is no longer an endpoint of the Service: the walk now follows web-1.' })).toBeVisible();
  await expect.poll(() => listedHops(page)).toEqual(await engineLines(page));
  expect((await listedHops(page)).some((h) => h.startsWith('node-2'))).toBe(false);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(web2).toBeVisible();
  await expect(pick).toHaveValue('1');
  await expect.poll(() => listedHops(page)).toEqual(walked);
  await expect.poll(() => currentHop(page)).toBe(5);

  // Its source deleted, the packet is gone; Undo (after a reload, from the session's history) brings it back.
  const client = page.getByLabel('pod client 10.244.0.2', { exact: true });
  await client.click();
  await page.getByRole('button', { name: 'Delete pod' }).click();
  await expect(client).toHaveCount(0);
  await expect(hopsList(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel(/^pod web-1 /)).toBeVisible();
  await expect(client).toHaveCount(0);
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  await expect(undo).toBeEnabled();
  await undo.click();
  await expect(client).toBeVisible();
  await expect.poll(() => listedHops(page)).toEqual(walked);
  await expect.poll(() => currentHop(page)).toBe(5);
  await bothSizes(page, 'lecturer-undo-after-reload');
  // A reload keeps the walk where it was: the same hops, step and endpoint.
  await page.reload();
  await expect(hopsList(page)).toBeVisible();
  await expect.poll(() => listedHops(page)).toEqual(walked);
  await expect.poll(() => currentHop(page)).toBe(5);
  await expect(pick).toHaveValue('1');
});

test('New empties the canvas and says how to get it back; Undo brings back the cluster and its packet', async ({ page }) => {
  await sendToService(page);
  await stepBy(page, 2);
  const walked = await listedHops(page);
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.getByLabel(/^node node-/)).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Undo (Ctrl+Z) brings back the one you had, with its packet' })).toBeVisible();
  await packetAtRest(page);
  await page.screenshot({ path: `${SHOTS}/lecturer-new.png` });
  await page.keyboard.press('Control+z');
  await expect(page.getByLabel('pod client 10.244.0.2', { exact: true })).toBeVisible();
  await expect.poll(() => listedHops(page)).toEqual(walked);
  await expect.poll(() => currentHop(page)).toBe(2);
});
