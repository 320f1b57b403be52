// What the walkthrough says about the network itself: the TTL after every hop (one
// less only where a node routes), and in vpc the node network named as what it is.
import { compile } from '../src/sim/index.ts';
import { engineHops, expect, hopTextWith, listedHops, saved, shot, test } from './fixtures.ts';

test('the header shows the TTL after each hop; it drops only where a node routes', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  const st = await saved(page);
  const hops = engineHops(st.scenario, st.request!);
  const headers = page.getByLabel('Packet headers');
  await expect(headers).toContainText('ttl64');
  const routed = hops.findIndex((h, i) => i > 0 && h.packet.ttl < hops[i - 1].packet.ttl);
  expect(routed).toBeGreaterThan(0);
  await page.getByRole('list', { name: 'Hops' }).getByRole('listitem').nth(routed).click();
  await expect(headers).toContainText(`ttl${hops[routed].packet.ttl} was ${hops[routed - 1].packet.ttl}: routed`);
  // Pod to pod across two nodes: routed twice.
  expect(hops.at(-1)!.packet.ttl).toBe(62);
  await shot(page, 'narration-ttl');
});

test('vpc: the node network is the VPC fabric on the canvas and in the walkthrough, answering ARP for the node that holds a pod', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('CNI', { exact: true }).selectOption('vpc');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  const st = await saved(page);
  expect(compile(st.scenario).netns('node-network')?.vpcFabric).toBeDefined();
  await expect(page.getByLabel(`VPC fabric ${st.scenario.cluster.nodeNetwork}`, { exact: true })).toBeVisible();
  const hops = engineHops(st.scenario, st.request!);
  await expect.poll(() => listedHops(page)).toEqual(hops.map(hopTextWith('VPC fabric')));
  expect(hops.some((h) => h.why.includes('the VPC fabric answers that'))).toBe(true);
  await shot(page, 'narration-vpc-fabric');
});
