// NetworkPolicy as a person meets it: a pod's Inspector says which policies isolate it
// and who may reach it; a denied peer traces that packet, which stops at the hop where
// the CNI enforces the policy (felix's chain under Calico, Cilium's program) and, under
// flannel, is delivered with the hop where an enforcing CNI would have dropped it.
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { engineHops, engineTrace, expect, hopText, listedHops, saved, SHOTS, test, verdict, viewAtRest } from './fixtures.ts';
import { objectKey } from '../src/sim/model.ts';
import { policyMatrix } from '../src/sim/policy/matrix.ts';

const FILE = readFileSync(new URL('../public/scenarios/network-policy.yaml', import.meta.url), 'utf8');

/** Select a pod on the canvas until the Inspector shows it (a click may land while the view is still being framed). */
async function inspect(page: Page, pod: Locator, heading: string) {
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(async () => {
    await pod.click();
    await expect(inspector.getByRole('heading', { name: heading })).toBeVisible({ timeout: 1000 });
  }).toPass();
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`a deny-all ingress policy: dropped by Calico and Cilium where they enforce it, delivered by flannel with the would-have note (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    await page.getByLabel('Scenario file').setInputFiles({ name: 'network-policy.yaml', mimeType: 'application/yaml', buffer: Buffer.from(FILE) });
    const xb = page.getByLabel(/^pod b 10\.244\.0\.65/);
    await expect(xb).toBeVisible();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspect(page, xb, 'pod b');
    const policies = inspector.getByRole('group', { name: 'NetworkPolicy' });
    await expect(policies).toContainText('Ingress: isolated by default-deny-ingress');
    await expect(policies).toContainText("Calico's felix enforces these");
    await page.screenshot({ path: `${SHOTS}/netpol-inspector-${viewport.width}x${viewport.height}.png` });

    // z/b may not reach x/b: its chip says so, and traces it.
    await policies.getByRole('button', { name: 'z/b to x/b port 80/TCP: denied; trace it' }).click();
    let st = await saved(page);
    expect(st.request).toMatchObject({ from: { kind: 'pod', namespace: 'z', name: 'b' }, to: { kind: 'pod', namespace: 'x', name: 'b', port: 80 } });
    const calico = engineTrace(st.scenario, st.request!);
    expect(calico).toMatchObject({ verdict: 'dropped', code: 'network-policy-denied' });
    await expect.poll(() => listedHops(page)).toEqual(calico.hops.map(hopText));
    const hops = page.getByRole('list', { name: 'Hops' }).getByRole('listitem');
    // x/b's box, whatever address another CNI gives it.
    const xbBox = page.locator('.react-flow__node[data-id="pod:x/b"]');
    // On the canvas: x/b carries the tag of the policy isolating it; the banner waits for the packet to reach the drop.
    await expect(xbBox.getByLabel('NetworkPolicy isolates this pod: ingress (default-deny-ingress)')).toHaveText('NP in');
    await hops.first().click();
    await expect(xbBox.getByRole('note')).toHaveCount(0);
    await hops.last().click();
    await expect(hops.last()).toContainText('End of tier default. Drop if no policies passed packet');
    await expect(verdict(page)).toContainText('denied by x/default-deny-ingress (ingress of x/b)');
    await expect(xbBox.getByRole('note')).toHaveText('✗ dropped by NetworkPolicy x/default-deny-ingress (ingress)');
    await page.screenshot({ path: `${SHOTS}/netpol-calico-drop-${viewport.width}x${viewport.height}.png` });

    // flannel enforces nothing: delivered, and the hop before x/b says Calico or Cilium would have dropped it there.
    await page.getByLabel('CNI', { exact: true }).selectOption('flannel-vxlan');
    await expect.poll(async () => (await saved(page)).scenario.cluster.cni).toBe('flannel-vxlan');
    st = await saved(page);
    const flannel = engineTrace(st.scenario, st.request!);
    expect(flannel.verdict).toBe('delivered');
    await expect.poll(() => listedHops(page)).toEqual(engineHops(st.scenario, st.request!).map(hopText));
    const noted = flannel.hops.findIndex((h) => h.wouldHaveDropped);
    expect(noted).toBeGreaterThan(0);
    await hops.nth(noted - 1).click();
    await expect(xbBox.getByRole('note')).toHaveCount(0);
    await hops.nth(noted).click();
    await expect(hops.nth(noted)).toContainText('would have dropped it here');
    await expect(xbBox.getByRole('note')).toHaveText('x/default-deny-ingress denies this (ingress), but this CNI enforces no NetworkPolicy: delivered');
    await hops.nth(flannel.hops.length - 1).click();
    await expect(verdict(page)).toContainText('this CNI enforces no NetworkPolicy: it was delivered, where Calico or Cilium would have dropped it');
    await page.screenshot({ path: `${SHOTS}/netpol-flannel-would-${viewport.width}x${viewport.height}.png` });

    // Cilium: its program drops it (DROP_POLICY), said as modelled.
    await page.getByLabel('CNI', { exact: true }).selectOption('cilium');
    await expect.poll(async () => (await saved(page)).scenario.cluster.cni).toBe('cilium');
    st = await saved(page);
    const cilium = engineTrace(st.scenario, st.request!);
    expect(cilium).toMatchObject({ verdict: 'dropped', code: 'network-policy-denied' });
    await expect.poll(() => listedHops(page)).toEqual(cilium.hops.map(hopText));
    await hops.last().click();
    await expect(hops.last()).toContainText('DROP_POLICY, "Policy denied"');
    await expect(verdict(page)).toContainText('denied by x/default-deny-ingress');
    await expect(xbBox.getByRole('note')).toHaveText('✗ dropped by NetworkPolicy x/default-deny-ingress (ingress)');
    await page.screenshot({ path: `${SHOTS}/netpol-cilium-drop-${viewport.width}x${viewport.height}.png` });

    // The Flows panel (Hubble's, Cilium's): the DROPPED flow, POLICY_DENIED, found by its verdict.
    const flows = page.getByRole('region', { name: 'Flows' });
    await flows.getByText('Flows', { exact: true }).click();
    await flows.getByLabel('Verdict').selectOption('DROPPED');
    const records = flows.getByRole('list', { name: 'Flow records' }).getByRole('listitem');
    await expect(records).toHaveCount(1);
    await expect(records.first()).toContainText('z/b → x/b DROPPED POLICY_DENIED');
    await expect(records.first()).toContainText('by x/default-deny-ingress');
    await flows.getByLabel('Verdict').selectOption('FORWARDED');
    await expect(records.first()).toContainText('FORWARDED');
    await flows.getByLabel('Verdict').selectOption('DROPPED');
    await page.screenshot({ path: `${SHOTS}/netpol-flows-${viewport.width}x${viewport.height}.png` });
  });
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`a deny-all ingress policy added from the Inspector, edited as YAML, met by the packet under each CNI (${viewport.width}×${viewport.height})`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize(viewport);
    await page.goto('/');
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspect(page, page.getByLabel(/^pod web-2 /), 'pod web-2');
    const policies = inspector.getByRole('group', { name: 'NetworkPolicy' });
    await expect(policies).toContainText('No NetworkPolicy in this cluster');
    await policies.getByRole('button', { name: 'Deny all ingress in default' }).click();
    await expect(policies).toContainText('Ingress: isolated by default-deny-ingress');
    expect((await saved(page)).scenario.networkPolicies?.map((p) => `${p.namespace}/${p.name}`)).toEqual(['default/default-deny-ingress']);

    // The YAML beside it: a typo is refused with the parser's reason, and the policy stays as it was.
    await policies.getByRole('button', { name: 'Edit as YAML' }).click();
    const yaml = policies.getByLabel('NetworkPolicies (YAML, every namespace)');
    await expect(yaml).toHaveValue(/name: default-deny-ingress/);
    await yaml.fill((await yaml.inputValue()).replace('- Ingress', '- Ingres'));
    await policies.getByRole('button', { name: 'Apply' }).click();
    await expect(inspector.getByRole('alert')).toContainText('must be Ingress or Egress, got "Ingres"');
    expect((await saved(page)).scenario.networkPolicies?.[0].policyTypes).toEqual(['Ingress']);
    await policies.getByRole('button', { name: 'Cancel' }).click();
    await page.screenshot({ path: `${SHOTS}/netpol-added-${viewport.width}x${viewport.height}.png` });

    await page.getByRole('button', { name: 'Send packet' }).click();
    await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
    const hops = page.getByRole('list', { name: 'Hops' }).getByRole('listitem');
    for (const [cni, want] of [
      ['flannel-vxlan', 'delivered'],
      ['calico', 'dropped'],
      ['cilium', 'dropped'],
    ] as const) {
      await page.getByLabel('CNI', { exact: true }).selectOption(cni);
      await expect.poll(async () => (await saved(page)).scenario.cluster.cni).toBe(cni);
      const st = await saved(page);
      const t = engineTrace(st.scenario, st.request!);
      expect(t.verdict).toBe(want);
      await expect.poll(() => listedHops(page)).toEqual(engineHops(st.scenario, st.request!).map(hopText));
      await hops.nth(t.hops.length - 1).click();
      if (want === 'delivered') {
        await expect(verdict(page)).toContainText('where Calico or Cilium would have dropped it');
        await expect(hops.nth(t.hops.findIndex((h) => h.wouldHaveDropped))).toContainText('would have dropped it here');
      } else {
        expect(t.code).toBe('network-policy-denied');
        await expect(verdict(page)).toContainText('denied by default/default-deny-ingress');
      }
    }
    const flows = page.getByRole('region', { name: 'Flows' });
    await flows.getByText('Flows', { exact: true }).click();
    await flows.getByLabel('Verdict').selectOption('DROPPED');
    await expect(flows.getByRole('list', { name: 'Flow records' }).getByRole('listitem').first()).toContainText('DROPPED POLICY_DENIED');
  });
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`the whole matrix from a pod's Inspector: every cell as the policies decide, the pod's row and column marked, a cell traces its packet (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    await page.getByLabel('Scenario file').setInputFiles({ name: 'network-policy.yaml', mimeType: 'application/yaml', buffer: Buffer.from(FILE) });
    const xb = page.getByLabel(/^pod b 10\.244\.0\.65/);
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspect(page, xb, 'pod b');
    const opener = inspector.getByRole('button', { name: 'Whole matrix…' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Who may reach whom on 80/TCP' });
    await expect(dialog).toBeVisible();
    // Every cell is the engine's: the same decisions `podpath matrix` prints.
    const st = await saved(page);
    const m = policyMatrix(st.scenario, { port: 80, protocol: 'TCP' });
    expect(m.pods.length).toBe(6);
    const table = dialog.getByRole('table', { name: 'Reachability matrix on 80/TCP' });
    await expect(table.getByRole('row')).toHaveCount(7);
    let blocked = 0;
    for (const [i, client] of m.pods.entries())
      for (const [j, server] of m.pods.entries()) {
        const c = m.cells[i][j];
        if (c === 'loopback') continue;
        if (!c.allowed) blocked++;
        await expect(table.getByRole('button', { name: `${objectKey(client)} to ${objectKey(server)} port 80/TCP: ${c.allowed ? 'allowed' : 'blocked'}; trace it` })).toHaveCount(1);
      }
    expect(blocked).toBeGreaterThan(0);
    await expect(dialog).toContainText(`(${blocked} of 30)`);
    // x/b's row and column are marked.
    await expect(table.getByRole('rowheader', { name: 'x/b' })).toHaveClass(/mineHead/);
    await expect(table.getByRole('columnheader', { name: 'x/b' })).toHaveClass(/mineHead/);
    await page.screenshot({ path: `${SHOTS}/netpol-matrix-${viewport.width}x${viewport.height}.png` });

    // Escape closes it and the keyboard is back on its button; a blocked cell traces its packet, dropped by felix.
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();
    await opener.click();
    await dialog.getByRole('button', { name: 'z/b to x/b port 80/TCP: blocked; trace it' }).click();
    await expect(dialog).toHaveCount(0);
    const after = await saved(page);
    expect(after.request).toMatchObject({ from: { kind: 'pod', namespace: 'z', name: 'b' }, to: { kind: 'pod', namespace: 'x', name: 'b', port: 80 }, proto: 'tcp' });
    expect(engineTrace(after.scenario, after.request!)).toMatchObject({ verdict: 'dropped', code: 'network-policy-denied' });
  });
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`a NetworkPolicy from the palette, written as a form beside its YAML, applied through the parser, edited again (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspect(page, page.getByLabel(/^pod web-2 /), 'pod web-2');
    // The palette's NetworkPolicy: a new policy in web-2's namespace, selecting web-2 by its labels.
    await page.getByRole('group', { name: 'Add to the cluster' }).getByRole('button', { name: 'NetworkPolicy' }).click();
    const dialog = page.getByRole('dialog', { name: 'New NetworkPolicy' });
    await expect(dialog).toBeVisible();
    const form = dialog.getByRole('form', { name: 'NetworkPolicy form' });
    await expect(form.getByLabel('Namespace')).toHaveValue('default');
    await expect(form.getByLabel('Pods it selects (labels)')).toHaveValue('app=web');
    // app=web selects web-1 too: said, so nobody thinks the policy isolates web-2 alone.
    await expect(form).toContainText(/Selects 2 pods of default: web-1, web-2\.|Selects 2 pods of default: web-2, web-1\./);
    await expect(form).toContainText('No rule: nothing may connect to the selected pods (deny all ingress).');
    const yaml = dialog.getByLabel('YAML', { exact: true });
    await expect(yaml).toHaveValue(/kind: NetworkPolicy[\s\S]*name: new-policy[\s\S]*app: web[\s\S]*- Ingress/);

    // A rule: from the client pods, on port 80. The YAML follows the form.
    await form.getByRole('button', { name: 'Add ingress rule' }).click();
    await form.getByLabel('Pod labels').fill('app=client');
    await form.getByLabel('Ports', { exact: true }).fill('80');
    await expect(yaml).toHaveValue(/from:\n\s+- podSelector:\n\s+matchLabels:\n\s+app: client\n\s+ports:\n\s+- protocol: TCP\n\s+port: 80/);
    // A typo in the form: said, and Apply waits for it.
    await form.getByLabel('Pod labels').fill('app');
    await expect(dialog.getByRole('alert')).toHaveText('Ingress rule 1, pod labels: "app" is not key=value');
    await expect(dialog.getByRole('button', { name: 'Apply' })).toBeDisabled();
    await form.getByLabel('Pod labels').fill('app=client');
    await page.screenshot({ path: `${SHOTS}/netpol-form-${viewport.width}x${viewport.height}.png` });
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog).toHaveCount(0);
    const st = await saved(page);
    expect(st.scenario.networkPolicies).toEqual([
      {
        namespace: 'default',
        name: 'new-policy',
        podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] },
        policyTypes: ['Ingress'],
        policyTypesGiven: true,
        ingress: [{ peers: [{ podSelector: { matchLabels: { app: 'client' }, matchExpressions: [] } }], ports: [{ protocol: 'TCP', port: 80 }] }],
        egress: [],
      },
    ]);
    const policies = inspector.getByRole('group', { name: 'NetworkPolicy' });
    await expect(policies).toContainText('Ingress: isolated by new-policy');
    await expect(policies.getByRole('button', { name: 'default/client to default/web-2 port 8080/TCP: denied; trace it' })).toBeVisible();

    // Again, from the Inspector: the YAML edited, the form follows; a YAML typo is refused by the parser, nothing changes.
    await policies.getByRole('button', { name: 'Edit NetworkPolicy default/new-policy as a form' }).click();
    const again = page.getByRole('dialog', { name: 'NetworkPolicy default/new-policy' });
    await expect(again.getByLabel('Ports', { exact: true })).toHaveValue('80');
    const text = await again.getByLabel('YAML', { exact: true }).inputValue();
    await again.getByLabel('YAML', { exact: true }).fill(text.replace('port: 80', 'port: 8080'));
    await expect(again.getByLabel('Ports', { exact: true })).toHaveValue('8080');
    await again.getByLabel('YAML', { exact: true }).fill(text.replace('- Ingress', '- Ingres'));
    await expect(again.getByRole('alert')).toContainText('must be Ingress or Egress, got "Ingres"');
    await again.getByLabel('YAML', { exact: true }).fill(text.replace('port: 80', 'port: 8080'));
    await again.getByRole('button', { name: 'Apply' }).click();
    await expect(again).toHaveCount(0);
    expect((await saved(page)).scenario.networkPolicies?.[0].ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    await expect(policies.getByRole('button', { name: 'default/client to default/web-2 port 8080/TCP: allowed; trace it' })).toBeVisible();
    // A second policy for the pod, from its Inspector: the next free name, the pod's labels. Named
    // as the first, it is refused (it never replaces another policy), said in the dialog; renamed, it is added.
    await policies.getByRole('button', { name: 'New policy for this pod…' }).click();
    const second = page.getByRole('dialog', { name: 'New NetworkPolicy' });
    await expect(second.getByLabel('Name', { exact: true })).toHaveValue('new-policy-2');
    await expect(second.getByLabel('Pods it selects (labels)')).toHaveValue('app=web');
    await expect(second.getByRole('alert')).toHaveCount(0);
    await second.getByLabel('Name', { exact: true }).fill('new-policy');
    await second.getByRole('button', { name: 'Apply' }).click();
    await expect(second.getByRole('alert')).toContainText('a second NetworkPolicy default/new-policy');
    expect((await saved(page)).scenario.networkPolicies?.map((p) => p.name)).toEqual(['new-policy']);
    await second.getByLabel('Name', { exact: true }).fill('deny-web');
    await expect(second.getByRole('alert')).toHaveCount(0);
    await second.getByRole('button', { name: 'Apply' }).click();
    await expect(second).toHaveCount(0);
    expect((await saved(page)).scenario.networkPolicies?.map((p) => p.name)).toEqual(['new-policy', 'deny-web']);
    // Opened again, no refusal of the earlier dialog is shown.
    await policies.getByRole('button', { name: 'New policy for this pod…' }).click();
    const third = page.getByRole('dialog', { name: 'New NetworkPolicy' });
    await expect(third.getByRole('alert')).toHaveCount(0);
    // A new policy has nothing to delete; an existing one is deleted from its dialog, and Undo brings it back.
    await expect(third.getByRole('button', { name: /^Delete / })).toHaveCount(0);
    await third.getByRole('button', { name: 'Cancel' }).click();
    await policies.getByRole('button', { name: 'Edit NetworkPolicy default/deny-web as a form' }).click();
    const edit = page.getByRole('dialog', { name: 'NetworkPolicy default/deny-web' });
    await expect(edit.getByRole('button', { name: 'Delete deny-web' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/netpol-delete-${viewport.width}x${viewport.height}.png` });
    await edit.getByRole('button', { name: 'Delete deny-web' }).click();
    await expect(edit).toHaveCount(0);
    await expect(page.getByText('Deleted NetworkPolicy default/deny-web')).toBeVisible();
    expect((await saved(page)).scenario.networkPolicies?.map((p) => p.name)).toEqual(['new-policy']);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await saved(page)).scenario.networkPolicies?.map((p) => p.name)).toEqual(['new-policy', 'deny-web']);
  });
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`the palette's NetworkPolicy dragged onto a pod: ringed while over it, dropped a new policy in its namespace selecting it by its labels, applied it isolates the pod (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    await page.getByLabel('Scenario file').setInputFiles({ name: 'network-policy.yaml', mimeType: 'application/yaml', buffer: Buffer.from(FILE) });
    // y/a: no policy selects it yet (x's isolate x's pods, y/c-egress-to-x-80 only y/c).
    const ya = page.locator('.react-flow__node[data-id="pod:y/a"]');
    const tag = ya.getByLabel(/^NetworkPolicy isolates this pod/);
    await expect(ya).toBeVisible();
    await expect(tag).toHaveCount(0);
    await viewAtRest(page);
    const palettePolicy = page.getByRole('group', { name: 'Add to the cluster' }).getByRole('button', { name: 'NetworkPolicy' });
    const dialog = page.getByRole('dialog', { name: 'New NetworkPolicy' });

    // Onto a node's box (its header, no pod there): nothing opens; the status line says where it goes.
    await palettePolicy.dragTo(page.locator('.react-flow__node[data-id="node:node-3"]'), { targetPosition: { x: 16, y: 12 } });
    await expect(page.getByRole('status').filter({ hasText: 'Drop NetworkPolicy onto a pod: a policy selects pods, by their labels.' })).toBeVisible();
    await expect(dialog).toHaveCount(0);

    // Dragged over y/a, it is ringed as the drop target (only it); off it, onto its node's header, no longer; let go on it, the dialog opens for y/a.
    const to = (await ya.boundingBox())!;
    const node3 = (await page.locator('.react-flow__node[data-id="node:node-3"]').boundingBox())!;
    const ringed = page.locator('.react-flow__node[class*="policyTarget"]');
    await palettePolicy.hover();
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await expect(ya).toHaveClass(/policyTarget/);
    await expect(ringed).toHaveCount(1);
    await page.screenshot({ path: `${SHOTS}/netpol-drag-over-pod-${viewport.width}x${viewport.height}.png` });
    await page.mouse.move(node3.x + 16, node3.y + 12, { steps: 4 });
    await expect(ringed).toHaveCount(0);
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 4 });
    await expect(ya).toHaveClass(/policyTarget/);
    await page.mouse.up();
    await expect(dialog).toBeVisible();
    await expect(ya).not.toHaveClass(/policyTarget/);
    const form = dialog.getByRole('form', { name: 'NetworkPolicy form' });
    await expect(form.getByLabel('Namespace')).toHaveValue('y');
    await expect(form.getByLabel('Pods it selects (labels)')).toHaveValue('pod=a');
    // Which pods those labels select, said under them (a policy selects by labels, not the pod it was dropped on).
    await expect(form.getByText('Selects 1 pod of y: a.')).toBeVisible();
    const yaml = dialog.getByLabel('YAML', { exact: true });
    await expect(yaml).toHaveValue(/name: new-policy\n\s+namespace: y\n[\s\S]*podSelector:\n\s+matchLabels:\n\s+pod: a\n[\s\S]*- Ingress/);

    // Applied: y/a isolated for ingress, its tag on the canvas; the Inspector (y/a selected by the drop) says by which.
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(tag).toHaveText('NP in');
    await expect(tag).toHaveAttribute('aria-label', 'NetworkPolicy isolates this pod: ingress (new-policy)');
    await expect(page.getByRole('region', { name: 'Inspector' }).getByRole('group', { name: 'NetworkPolicy' })).toContainText('Ingress: isolated by new-policy');
    const added = (await saved(page)).scenario.networkPolicies?.find((p) => p.name === 'new-policy');
    expect(added).toMatchObject({ namespace: 'y', podSelector: { matchLabels: { pod: 'a' }, matchExpressions: [] }, policyTypes: ['Ingress'], ingress: [], egress: [] });
  });
}
