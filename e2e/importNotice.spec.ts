// What an import inferred or could not keep (the warnings after a dump is read) is
// said in one line at the canvas's foot, not over the cluster: "Show N warnings"
// opens the list, by mouse or keyboard, and × closes it. And an imported cluster is
// kept: a reload right after the import comes back to it, big or small.
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { bigClusterJson } from '../scripts/bigcluster.mjs';
import { expect, saved, SHOTS, test, viewAtRest } from './fixtures.ts';

const KIND = readFileSync(new URL('../src/sim/scenario/dumps/kind-cluster-info-dump.txt', import.meta.url));
const BIG = bigClusterJson({ nodes: 500, podsPerNode: 30 });
const SIZES = [
  [1280, 720],
  [1920, 1080],
] as const;

const notice = (page: Page) => page.getByRole('status').filter({ hasText: 'warning' });

/** No drawn node's box shares a pixel with the notice. */
async function coversNoNode(page: Page, box: Locator) {
  const b = (await box.boundingBox())!;
  const nodes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(nodes.length).toBeGreaterThan(0);
  const over = nodes.filter((n) => n.x < b.x + b.width && b.x < n.x + n.width && n.y < b.y + b.height && b.y < n.y + n.height);
  expect(over, 'nodes under the import notice').toEqual([]);
}

test.setTimeout(90_000);

test("a kind cluster's dump: the warnings fold to one line that covers no node, open by keyboard, close with ×", async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'kind-cluster-info-dump.txt', mimeType: 'text/plain', buffer: KIND });
  const box = notice(page);
  const show = box.getByRole('button', { name: /^Show \d+ warnings?$/ });
  await expect(show).toBeVisible({ timeout: 20_000 });
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await viewAtRest(page, 300);
    await coversNoNode(page, box);
    await page.screenshot({ path: `${SHOTS}/import-notice-kind-${width}x${height}.png` });
  }
  // By keyboard: the list opens, is read, and folds again.
  await show.focus();
  await page.keyboard.press('Enter');
  const hide = box.getByRole('button', { name: /^Hide \d+ warnings?$/ });
  await expect(hide).toHaveAttribute('aria-expanded', 'true');
  const list = box.getByRole('list', { name: 'Import warnings' });
  await expect(list).toBeVisible();
  expect(await list.getByRole('listitem').count()).toBe(Number((await hide.textContent())!.match(/\d+/)![0]));
  // Readable and named for a screen reader, open (its list scrolls, and takes the focus to be scrolled by keyboard).
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).include('[role="status"]:has([aria-label="Import warnings"])').analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await viewAtRest(page, 300);
    await page.screenshot({ path: `${SHOTS}/import-notice-kind-open-${width}x${height}.png` });
  }
  await page.keyboard.press('Enter');
  await expect(list).toBeHidden();
  await box.getByRole('button', { name: 'Dismiss' }).press('Enter');
  await expect(box).toHaveCount(0);
});

test('a 500-node dump with warnings (two Services of type LoadBalancer and ExternalName): they fold to one line that covers no node', async ({ page }) => {
  const asPrinted = BIG.replace('"name":"svc-0","namespace":"default"},"spec":{', '"name":"svc-0","namespace":"default"},"spec":{"type":"LoadBalancer",').replace(
    '"name":"svc-1","namespace":"default"},"spec":{',
    '"name":"svc-1","namespace":"default"},"spec":{"type":"ExternalName","externalName":"db.example.com",',
  );
  expect(asPrinted.length).toBeGreaterThan(BIG.length);
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'cluster-500.json', mimeType: 'application/json', buffer: Buffer.from(asPrinted) });
  const box = notice(page);
  await expect(box.getByRole('button', { name: /^Show \d+ warnings?$/ })).toBeVisible({ timeout: 30_000 });
  await expect(box.getByRole('button', { name: 'Show 2 warnings' })).toBeVisible();
  await expect(box).toContainText('type LoadBalancer imported as NodePort');
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await viewAtRest(page, 300);
    await coversNoNode(page, box);
    await page.screenshot({ path: `${SHOTS}/import-notice-big-${width}x${height}.png` });
  }
});

test('a reload right after importing a 500-node dump comes back to it', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'cluster-500.json', mimeType: 'application/json', buffer: Buffer.from(BIG) });
  // Drawn (the demo has a node-1 too, not node-500, nor a collapsed node's pod count).
  await expect(page.getByRole('button', { name: 'Show pods of node node-500', exact: true })).toBeAttached({ timeout: 30_000 });
  // At once: the save of a cluster this big is put off until the page is idle, and leaving the page writes it.
  await page.reload();
  await expect(page.locator('[aria-label^="node node-500 "]')).toBeAttached({ timeout: 30_000 });
  const s = (await saved(page)).scenario;
  expect(s.nodes).toHaveLength(500);
  expect(s.pods).toHaveLength(15_000);
  // This generated dump leaves nothing to warn of: no notice over its 500 nodes.
  await expect(notice(page)).toHaveCount(0);
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await viewAtRest(page, 300);
    await page.screenshot({ path: `${SHOTS}/import-big-reloaded-${width}x${height}.png` });
  }
});
