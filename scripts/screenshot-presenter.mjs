#!/usr/bin/env node
// `npm run screenshot:presenter`: the README's pictures of presenter mode
// (docs/presenter-1280.png, docs/presenter-1920.png), taken from the built
// playground in Debian's Chromium: the lecture cluster (3 nodes, 8 pods), a packet
// from client to the web Service caught at kube-proxy's DNAT.
// `--no-build` reuses dist/; PODPATH_SHOT_PORT picks the preview's port.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const PORT = Number(process.env.PODPATH_SHOT_PORT ?? 4321);
if (!process.argv.includes('--no-build')) {
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
const lecture = readFileSync(new URL('../public/scenarios/lecture.yaml', import.meta.url));
try {
  const browser = await chromium.launch({
    executablePath: process.env.PODPATH_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    for (let i = 0; ; i++) {
      try {
        await page.goto(`http://127.0.0.1:${PORT}/`);
        break;
      } catch (e) {
        if (i > 50) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await page.getByLabel('Scenario file').setInputFiles({ name: 'lecture.yaml', mimeType: 'application/yaml', buffer: lecture });
    await page.getByLabel(/^pod cache-1 /).waitFor();
    await page.getByRole('button', { name: 'Send packet' }).click();
    await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
    await page.getByRole('button', { name: 'Present' }).click();
    // Step to kube-proxy's DNAT (→ as a presenter would).
    const action = page.getByRole('region', { name: 'Presenter' }).locator('[data-part="action"]');
    await page.locator('body').focus();
    for (let i = 0; i < 30 && (await action.textContent()) !== 'dnat'; i++) await page.keyboard.press('ArrowRight');
    // Until the packet and the view have stopped moving.
    await page.waitForFunction(() => {
      const w = window;
      const view = document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '';
      const now = performance.now();
      if (w.__shotView?.view !== view) {
        w.__shotView = { view, since: now };
        return false;
      }
      return now - w.__shotView.since > 400 && document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running');
    }, null, { polling: 'raf' });
    await page.screenshot({ path: `docs/presenter-${width}.png` });
    console.log(`wrote docs/presenter-${width}.png`);
    await page.close();
  }
  await browser.close();
} finally {
  process.kill(-server.pid);
}
