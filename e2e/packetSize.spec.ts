// A UDP packet's size from the packet form: the field appears for UDP only, says what
// fits on this cluster, and a packet too big for the sender's eth0 stops at send().
import { engineTrace, expect, hopText, listedHops, saved, SHOTS, test, verdict } from './fixtures.ts';

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`the packet's size: too big for the MTU, the walk stops where the kernel would (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    await expect(page.getByLabel('Size', { exact: true })).toHaveCount(0);
    await page.getByLabel('Protocol', { exact: true }).selectOption('udp');
    const size = page.getByLabel('Size', { exact: true });
    await expect(size).toHaveValue('');
    await expect(size).toHaveAccessibleDescription(/Don't Fragment set; pods' MTU here: 1500/);

    await size.fill('1501');
    await expect.poll(async () => (await saved(page)).request?.size).toBe(1501);
    const st = await saved(page);
    const t = engineTrace(st.scenario, st.request!);
    expect(t).toMatchObject({ verdict: 'dropped', code: 'message-too-long', mtu: 1500 });
    await expect.poll(() => listedHops(page)).toEqual(t.hops.map(hopText));
    await page.getByRole('list', { name: 'Hops' }).getByRole('listitem').last().click();
    await expect(verdict(page)).toContainText('Message too long');
    await page.screenshot({ path: `${SHOTS}/packet-size-${viewport.width}x${viewport.height}.png` });

    // TCP sizes its own segments: the field goes, and so does the size.
    await page.getByLabel('Protocol', { exact: true }).selectOption('tcp');
    await expect(size).toHaveCount(0);
    await expect.poll(async () => (await saved(page)).request?.size).toBeUndefined();
  });
}
