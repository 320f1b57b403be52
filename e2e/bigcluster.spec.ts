// A real-sized dump (500 nodes, 15,000 pods, `kubectl get -A -o json`) in the
// playground: its nodes drawn collapsed with their pod counts, a pod found by name and
// shown in its expanded node, and a packet traced between pods on two nodes, both
// expanded, the hop list the engine's own.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { bigClusterJson } from '../scripts/bigcluster.mjs';
import { loadScenario, type Scenario, type TraceRequest } from '../src/sim/index.ts';
import { engineHops, expect, hopText, listedHops, SHOTS, test, packetAtRest, viewAtRest } from './fixtures.ts';

const TEXT = bigClusterJson({ nodes: 500, podsPerNode: 30 });
/** The same dump read by the engine in Node: the page's IPAM gives the same addresses. */
const loaded = loadScenario(TEXT, 'cluster-500.json');
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues.slice(0, 3)));
const cluster: Scenario = loaded.value;
const podIP = (name: string) => cluster.pods.find((p) => p.name === name)!.podIP!;
const nodeIP = (name: string) => cluster.nodes.find((n) => n.name === name)!.internalIP!;

/** Both sizes the brief asks to look at: a classroom projector's and a desktop's. */
async function shots(page: Page, name: string) {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await packetAtRest(page);
    await viewAtRest(page, 300);
    await page.screenshot({ path: `${SHOTS}/${name}-${w}x${h}.png` });
  }
  await page.setViewportSize({ width: 1600, height: 900 });
  await viewAtRest(page, 300);
}

test.setTimeout(90_000);

test('a 500-node dump: nodes collapsed with pod counts, a pod found by name, a trace between two nodes drawn expanded', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'cluster-500.json', mimeType: 'application/json', buffer: Buffer.from(TEXT) });

  // Collapsed: each node's box says its name, address, podCIDR and pod count, and offers its pods; no pod is drawn.
  const node1 = page.getByLabel(`node node-1 ${nodeIP('node-1')}`, { exact: true });
  await expect(node1).toBeVisible({ timeout: 20_000 });
  await expect(node1).toContainText('30 pods');
  await expect(node1).toContainText(cluster.nodes[0].podCIDR!);
  await expect(node1.getByRole('button', { name: 'Show pods of node node-1', exact: true })).toBeVisible();
  await expect(page.locator('.react-flow__node-pod')).toHaveCount(0);
  await shots(page, 'bigcluster-01-collapsed');

  // By keyboard: Show pods draws node-2's pods, Hide pods folds them again.
  const show2 = page.getByRole('button', { name: 'Show pods of node node-2', exact: true });
  await show2.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(`pod web-2-30 ${podIP('web-2-30')}`, { exact: true })).toBeAttached();
  await expect(page.locator('.react-flow__node-pod')).toHaveCount(30);
  await page.getByRole('button', { name: 'Hide pods of node node-2', exact: true }).press('Enter');
  await expect(page.locator('.react-flow__node-pod')).toHaveCount(0);

  // Find a pod by name: the list answers, Enter shows it in its node, now expanded, and selects it.
  const find = page.getByRole('combobox', { name: 'Find a pod, node or Service' });
  await find.fill('web-250-7');
  const option = page.getByRole('option', { name: /web-250-7/ }).first();
  await expect(option).toContainText(`${podIP('web-250-7')} on node-250`);
  await expect(find).toHaveAttribute('aria-expanded', 'true');
  await shots(page, 'bigcluster-02-search');
  // The Find bar, its list open, and a collapsed node: no accessibility finding (WCAG 2.1 A/AA and best practices).
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).include('[role="search"]').include('.react-flow__node-host:has([aria-label="Show pods of node node-1"])').analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await find.press('Enter');
  const pod = page.getByLabel(`pod web-250-7 ${podIP('web-250-7')}`, { exact: true });
  await expect(pod).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Hide pods of node node-250', exact: true })).toBeVisible();
  await expect(page.getByRole('complementary').getByRole('heading', { name: /web-250-7/ }).first()).toBeVisible();
  await shots(page, 'bigcluster-03-found');
  // Collapsed again on demand.
  await page.getByRole('button', { name: 'Hide pods of node node-250', exact: true }).click();
  await expect(pod).toHaveCount(0);

  // Trace between pods on two nodes far apart, chosen in the searchable pickers.
  const from = page.getByRole('combobox', { name: 'From', exact: true });
  await from.fill('web-3-1');
  await expect(page.getByRole('option', { name: /web-3-1\b/ }).first()).toBeVisible();
  await from.press('Enter');
  const to = page.getByRole('combobox', { name: 'To', exact: true });
  await to.fill('web-400-2');
  await page.getByRole('option', { name: /web-400-2\b/ }).first().click();
  await expect(from).toHaveValue(`web-3-1 (${podIP('web-3-1')})`);
  await expect(to).toHaveValue(`web-400-2 (${podIP('web-400-2')})`);

  const request: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'web-3-1' }, to: { kind: 'pod', namespace: 'default', name: 'web-400-2', port: 8080 }, proto: 'tcp' };
  const expected = engineHops(cluster, request).map(hopText);
  await expect.poll(() => listedHops(page)).toEqual(expected);
  // The walk's nodes are drawn whole (no Show pods on them), with the packet's pods; the view follows the packet,
  // node by node: at the first hop, node-3; a node off the walk stays collapsed.
  await expect(page.getByLabel(`pod web-3-1 ${podIP('web-3-1')}`, { exact: true })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Show pods of node node-3', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Hide pods of node node-3', exact: true })).toHaveCount(0);
  await expect(page.getByLabel(`node node-4 ${nodeIP('node-4')}`, { exact: true })).toContainText('30 pods');
  // At the last hop, the packet is in web-400-2, drawn in node-400, in view.
  await page.getByRole('list', { name: 'Hops' }).getByRole('listitem').last().click();
  await expect(page.getByLabel(`pod web-400-2 ${podIP('web-400-2')}`, { exact: true })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Show pods of node node-400', exact: true })).toHaveCount(0);
  await expect(page.getByLabel(`node node-400 ${nodeIP('node-400')}`, { exact: true })).not.toContainText('30 pods');
  await shots(page, 'bigcluster-04-trace');
});
