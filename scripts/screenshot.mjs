#!/usr/bin/env node
// `npm run screenshot`: the README's pictures, taken from the built playground in
// Debian's Chromium: docs/screenshot.png, the demo cluster on flannel-vxlan, a packet
// from client to web-2 caught inside the VXLAN tunnel, node-1's netns open; and
// docs/phone.png, the same walk on a phone (390×844, touch), at the same hop.
import { spawn, spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const PORT = Number(process.env.PODPATH_E2E_PORT ?? 4321);
const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
try {
  const browser = await chromium.launch({
    executablePath: process.env.PODPATH_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  for (let i = 0; ; i++) {
    try {
      await page.goto(`http://127.0.0.1:${PORT}/`);
      break;
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await page.getByLabel('CNI', { exact: true }).selectOption('flannel-vxlan');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  // The hop whose action reads "encapsulate" (a hop's where / action / why are its data-part lines).
  const hops = page.getByRole('list', { name: 'Hops' }).getByRole('listitem');
  await hops.filter({ has: page.locator('[data-part="action"]', { hasText: /^encapsulate$/ }) }).first().click();
  await page.waitForTimeout(1200);
  await page.evaluate(() => document.querySelectorAll('svg').forEach((s) => s.pauseAnimations?.()));
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');

  // A phone: tap Step until the packet is being wrapped in VXLAN (the sheet shows the current hop only).
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true });
  await phone.goto(`http://127.0.0.1:${PORT}/`);
  await phone.getByRole('button', { name: 'Menu' }).tap();
  await phone.getByLabel('CNI', { exact: true }).selectOption('flannel-vxlan');
  await phone.getByRole('button', { name: 'Menu' }).tap();
  await phone.getByRole('button', { name: 'Send packet' }).tap();
  await phone.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  const action = phone.getByRole('list', { name: 'Hops' }).locator('[aria-current="step"] [data-part="action"]');
  for (let i = 0; i < 30 && (await action.textContent()) !== 'encapsulate'; i++) await phone.getByRole('button', { name: 'Step', exact: true }).tap();
  await phone.waitForTimeout(1200);
  await phone.evaluate(() => document.querySelectorAll('svg').forEach((s) => s.pauseAnimations?.()));
  await phone.screenshot({ path: 'docs/phone.png' });
  console.log('wrote docs/phone.png');
  await browser.close();
} finally {
  process.kill(-server.pid);
}
