// kube-proxy's nftables mode as a person picks it: the selector offers it (and shows
// IPVS disabled, saying why), the walk names the nft chains and map elements, and the
// node's terminal prints `nft list table ip kube-proxy` with the rule that decided lit.
import type { Page } from '@playwright/test';
import { engineTrace, expect, saved, test } from './fixtures.ts';
import { SHOTS } from './fixtures.ts';

const hopsList = (page: Page) => page.getByRole('list', { name: 'Hops' });

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`nftables mode: the walk and the node's nft table say which chain and rule decided (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    const select = page.getByLabel('kube-proxy', { exact: true });
    // IPVS is listed, not offered: disabled, its title saying why.
    const ipvs = select.locator('option', { hasText: 'ipvs' });
    await expect(ipvs).toBeDisabled();
    await expect(ipvs).toHaveAttribute('title', /deprecated upstream.*no IPVS/);
    await select.selectOption('nftables');
    await expect(select).toHaveValue('nftables');

    await page.getByRole('button', { name: 'Send packet' }).click();
    await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
    await expect(page.getByLabel('Port', { exact: true })).toHaveValue('80');
    const st = await saved(page);
    expect(st.scenario.cluster.kubeProxy).toBe('nftables');
    const t = engineTrace(st.scenario, st.request!);
    const dnat = t.hops.findIndex((h) => h.action === 'dnat');
    const hop = t.hops[dnat];
    expect(hop.matched).toMatch(/^meta l4proto tcp dnat to 10\.244\.\d+\.\d+:8080$/);
    expect(hop.rulePath!.summary).toMatch(/^hook prerouting → nat-prerouting → services → service-ips map \(.*\) → service-[A-Z2-7]{8}-default\/web\/tcp\/http → numgen random mod 2 vmap \(element \d\) → endpoint-/);

    // The listed hop says it in words.
    const item = hopsList(page).getByRole('listitem').nth(dnat);
    await item.click();
    await expect(item).toContainText('service-ips map');
    await expect(item).toContainText('numgen random mod 2');

    // The node's terminal: the nft tab comes forward and lights the dnat rule.
    await page.getByLabel(new RegExp(`^node ${hop.netns} `)).click();
    const term = page.getByLabel(`netns ${hop.netns}`);
    const nftTab = term.getByRole('tab', { name: 'nft' });
    await nftTab.click();
    await expect(nftTab).toHaveAttribute('aria-selected', 'true');
    await expect(term.getByRole('tabpanel')).toContainText('$ nft list table ip kube-proxy');
    await expect(term.getByRole('tabpanel')).toContainText('table ip kube-proxy {');
    await expect(term.locator('[data-matched]')).toHaveText([hop.matched!]);
    // The rules on the way that nft lists as they are (the jumps and the lookups into the maps).
    await expect(term.locator('[data-on-path]').first()).toBeVisible();
    const onPath = (await term.locator('[data-on-path]').allTextContents()).map((l) => l.trim());
    const numgen = hop.rulePath!.rules.find((r) => r.startsWith('numgen random mod 2 vmap'));
    // Each once: nat-output's `jump services` reads the same but is not on this packet's way.
    expect(onPath).toEqual(['jump services', 'ip daddr . meta l4proto . th dport vmap @service-ips', numgen]);
    await term.locator('[data-matched]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/nftables-terminal-${viewport.width}x${viewport.height}.png` });

    // iptables' nat table holds nothing of kube-proxy's in this mode, and says so.
    await term.getByRole('tab', { name: 'iptables nat' }).click();
    await expect(term.getByRole('tabpanel')).not.toContainText('KUBE-');
    await expect(term.getByRole('tabpanel')).toContainText('kube-proxy runs in nftables mode');
  });
}
