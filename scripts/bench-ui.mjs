#!/usr/bin/env node
// `npm run bench:ui`: how heavy and how fast the playground is.
//  1. Initial JavaScript, gzipped: every script the built index.html loads before
//     anything is clicked (its entry and modulepreloads). Budget: 200 KB.
//  2. Frame time while a 1,000-pod cluster (20 nodes × 50 pods) pans and zooms with
//     a packet playing, against bare React Flow drawing the same elements at the
//     same places, side by side in one headless Chromium run. Budget: ≤ 1.3×.
//  3. A real-sized dump, 500 nodes × 30 pods = 15,000 pods (scripts/bigcluster.mjs, as
//     `kubectl get -A -o json` prints it), imported through the file input: the time from
//     setInputFiles to the canvas drawn (its nodes collapsed) and the Find box answering
//     a pod's name. Budget: ≤ 2 s. And panning that cluster, nodes collapsed, against
//     bare React Flow drawing the same collapsed boxes. Budget: ≤ 1.3×.
// Frames are measured with vsync and the frame-rate limit off, so a frame's time is
// the work it took, not the display's refresh.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { basename, extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { bigClusterJson } from './bigcluster.mjs';

const SIZE = process.env.PODPATH_BENCH_SIZE ?? '20x50';
const FRAMES = Number(process.env.PODPATH_BENCH_FRAMES ?? 360);
const ROUNDS = Number(process.env.PODPATH_BENCH_ROUNDS ?? 3);
const JS_BUDGET = 200 * 1024;
const RATIO_BUDGET = 1.3;
const USABLE_BUDGET_MS = 2000;
const BIG = process.env.PODPATH_BENCH_BIG ?? '500x30';
const browserPath = process.env.PODPATH_CHROMIUM ?? '/usr/bin/chromium';

try {
  accessSync(browserPath, constants.X_OK);
} catch {
  console.error(`✗ bench:ui: no Chromium at ${browserPath} (apt-get install -y chromium, or set PODPATH_CHROMIUM)`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`✗ bench:ui: ${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}
run('npx', ['vite', 'build', '--logLevel', 'error']);
run('npx', ['vite', 'build', '--config', 'bench/vite.config.ts', '--logLevel', 'error']);

// ---- 1. initial JavaScript ---------------------------------------------------------
const html = readFileSync('dist/index.html', 'utf8');
const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
let jsGzip = 0;
const parts = [];
for (const src of new Set(scripts)) {
  const buf = readFileSync(join('dist', src));
  const gz = gzipSync(buf).length;
  jsGzip += gz;
  parts.push(`${src} ${(buf.length / 1024).toFixed(1)} KB → ${(gz / 1024).toFixed(1)} KB gzipped`);
}
// What the first view does without (README, Speed) stays out of it: each part is a chunk
// of its own in dist/assets, named after its module, and not loaded by index.html.
const ON_DEMAND = ['WalkSteps', 'CanvasFind', 'EndPickers', 'LessonList', 'RecordingBar', 'Sheet', 'edit', 'Inspector', 'NetnsTerminal', 'ShareDialog', 'PresenterPanel', 'LessonPlayer', 'PacketLayer', 'trace', 'io'];
const initialFiles = new Set([...scripts].map((s) => basename(s)));
const chunkFiles = readdirSync(join('dist', 'assets')).filter((f) => f.endsWith('.js'));
const notOnDemand = ON_DEMAND.filter((part) => !chunkFiles.some((f) => f.startsWith(`${part}-`) && !initialFiles.has(f)));

// ---- 2. frame time ---------------------------------------------------------------------
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.yaml': 'text/yaml' };
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const bare = url.pathname.startsWith('/bare/');
  const root = bare ? 'node_modules/.podpath-bench/bare' : 'dist';
  let path = normalize(bare ? url.pathname.slice('/bare'.length) : url.pathname);
  if (path.endsWith('/')) path += 'index.html';
  const file = join(root, path);
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: browserPath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-gpu-vsync',
    '--disable-frame-rate-limit',
  ],
});

/** Pan across the cluster and zoom in and out, one viewport change per frame; returns frame times (ms). */
async function measure(url, withPacket, canvasSize) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + url);
  // The bare page drawn in a canvas the size of the playground's (beside its panels), so both show the same part of the cluster.
  if (canvasSize) await page.addStyleTag({ content: `#root { width: ${canvasSize.width}px; height: ${canvasSize.height}px; }` });
  await page.waitForFunction(() => !!window.__flow, null, { timeout: 60_000 });
  await page.waitForSelector('.react-flow__node', { timeout: 60_000 });
  await page.waitForTimeout(1500);
  if (withPacket) {
    await page.evaluate(() => {
      const st = window.__podpathStore.getState();
      st.setSpeed(3);
      st.send();
      window.__podpathStore.getState().setPlaying(true);
    });
  }
  const times = await page.evaluate(async (frames) => {
    const f = window.__flow;
    const nodes = f.getNodes();
    let minX = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const n of nodes) {
      if (n.parentId) continue;
      minX = Math.min(minX, n.position.x);
      maxX = Math.max(maxX, n.position.x + (n.width ?? 0));
      maxY = Math.max(maxY, n.position.y + (n.height ?? 0));
    }
    const raf = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
    const out = [];
    await raf();
    let last = performance.now();
    for (let i = 0; i < frames; i++) {
      const t = i / frames;
      // Sweep left to right across the cluster and back, zooming between an overview and a close look.
      const zoom = 0.12 + 0.38 * (0.5 - 0.5 * Math.cos(t * Math.PI * 6));
      const cx = minX + (maxX - minX) * (0.5 - 0.5 * Math.cos(t * Math.PI * 2));
      const cy = maxY * (0.45 + 0.15 * Math.sin(t * Math.PI * 4));
      f.setViewport({ x: 800 - cx * zoom, y: 450 - cy * zoom, zoom });
      await raf();
      const now = performance.now();
      out.push(now - last);
      last = now;
    }
    return out;
  }, FRAMES);
  const rendered = await page.locator('.react-flow__node').count();
  const canvas = await page.locator('.react-flow').boundingBox();
  await page.close();
  if (errors.length) throw new Error(`${url}: ${errors.join('; ')}`);
  const steady = times.slice(20).sort((a, b) => a - b);
  const mean = steady.reduce((s, x) => s + x, 0) / steady.length;
  const p95 = steady[Math.floor(steady.length * 0.95)];
  return { mean, p95, rendered, canvas };
}

/**
 * Import the big dump through the file input, as a person does: from setInputFiles to
 * the canvas drawn (a node's collapsed box), then to the Find box listing a pod typed
 * into it. Returns both times (ms), measured in the page's clock.
 */
async function importBig(path, pod) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + '/');
  await page.getByRole('button', { name: 'Send packet' }).waitFor();
  const input = page.getByLabel('Scenario file');
  const t0 = await page.evaluate(() => performance.now());
  // A file on disk, as a person picks one: the browser reads it. (Handed over as a buffer,
  // Playwright's own script decodes its 3 MB of base64 in the page first, 0.4–0.6 s of
  // work on the page's thread that is the harness's, not the import's.)
  await input.setInputFiles(path);
  const drawn = await page.waitForFunction(() => document.querySelector('[aria-label^="node node-1 "] [aria-label^="Show pods of node"]') && performance.now(), null, { timeout: 60_000, polling: 'raf' });
  const drawnAt = await drawn.jsonValue();
  const find = page.getByRole('combobox', { name: 'Find a pod, node or Service' });
  await find.fill(pod);
  const answered = await page.waitForFunction((name) => [...document.querySelectorAll('[role="option"]')].some((o) => o.textContent?.includes(name)) && performance.now(), pod, { timeout: 60_000, polling: 'raf' });
  const answeredAt = await answered.jsonValue();
  // Saved in the browser's storage (put off until the page is idle, after the above): from here a reload comes back to it.
  const saved = await page.waitForFunction(() => (localStorage.getItem('podpath')?.length ?? 0) > 1_000_000 && performance.now(), null, { timeout: 60_000, polling: 100 });
  const savedAt = await saved.jsonValue();
  await page.close();
  if (errors.length) throw new Error(`import: ${errors.join('; ')}`);
  return { drawn: drawnAt - t0, usable: answeredAt - t0, saved: savedAt - t0 };
}

const app = [];
const bare = [];
for (let r = 0; r < ROUNDS; r++) {
  app.push(await measure(`/?bench=${SIZE}`, process.env.PODPATH_BENCH_PACKET !== '0'));
  bare.push(await measure(`/bare/bare.html?bench=${SIZE}`, false));
}

const [bigNodes, bigPods] = BIG.split('x').map(Number);
const bigText = bigClusterJson({ nodes: bigNodes, podsPerNode: bigPods });
const bigDir = mkdtempSync(join(tmpdir(), 'podpath-bench-'));
const bigPath = join(bigDir, 'cluster.json');
writeFileSync(bigPath, bigText);
const imports = [];
for (let r = 0; r < ROUNDS; r++) imports.push(await importBig(bigPath, `web-${Math.ceil(bigNodes / 2)}-${bigPods}`));
rmSync(bigDir, { recursive: true, force: true });
// Panning the big cluster, its nodes collapsed: no packet (a walk would expand its nodes in the playground only).
const bigApp = [];
const bigBare = [];
for (let r = 0; r < ROUNDS; r++) {
  bigApp.push(await measure(`/?bench=${BIG}`, false));
  bigBare.push(await measure(`/bare/bare.html?bench=${BIG}`, false, bigApp[r].canvas));
}
await browser.close();
server.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const appMean = median(app.map((x) => x.mean));
const bareMean = median(bare.map((x) => x.mean));
const ratio = appMean / bareMean;
const [n, p] = SIZE.split('x').map(Number);
const usable = median(imports.map((x) => x.usable));
const drawn = median(imports.map((x) => x.drawn));
const bigAppMean = median(bigApp.map((x) => x.mean));
const bigBareMean = median(bigBare.map((x) => x.mean));
const bigRatio = bigAppMean / bigBareMean;

console.log('\npodpath bench:ui');
console.log('  initial JavaScript (gzipped):');
for (const l of parts) console.log(`    ${l}`);
console.log(`    total ${(jsGzip / 1024).toFixed(1)} KB (budget ${JS_BUDGET / 1024} KB) ${jsGzip <= JS_BUDGET ? '✓' : '✗'}`);
console.log(`    loaded on demand: ${ON_DEMAND.length - notOnDemand.length} of ${ON_DEMAND.length} parts ${notOnDemand.length ? `✗ in the first view or missing: ${notOnDemand.join(', ')}` : '✓'}`);
console.log(`  frame time, ${n} nodes × ${p} pods = ${n * p} pods, pan + zoom over ${FRAMES} frames × ${ROUNDS} rounds (median of round means):`);
console.log(`    podpath (packet playing)  ${appMean.toFixed(2)} ms  (p95 ${median(app.map((x) => x.p95)).toFixed(2)} ms)`);
console.log(`    bare React Flow           ${bareMean.toFixed(2)} ms  (p95 ${median(bare.map((x) => x.p95)).toFixed(2)} ms)`);
console.log(`    ratio ${ratio.toFixed(2)}× (budget ≤ ${RATIO_BUDGET}×) ${ratio <= RATIO_BUDGET ? '✓' : '✗'}`);
console.log(`  a ${bigNodes}-node dump, ${(bigNodes * bigPods).toLocaleString('en')} pods (${(bigText.length / 1024 / 1024).toFixed(1)} MB of JSON), imported (median of ${ROUNDS}):`);
console.log(`    canvas drawn, nodes collapsed   ${(drawn / 1000).toFixed(2)} s  (rounds: ${imports.map((x) => (x.drawn / 1000).toFixed(2)).join(', ')})`);
console.log(`    usable (Find answers a pod)     ${(usable / 1000).toFixed(2)} s  (budget ≤ ${USABLE_BUDGET_MS / 1000} s) ${usable <= USABLE_BUDGET_MS ? '✓ met' : '✗ not met'} (rounds: ${imports.map((x) => (x.usable / 1000).toFixed(2)).join(', ')})`);
console.log(`    saved in the browser's storage  ${(median(imports.map((x) => x.saved)) / 1000).toFixed(2)} s  (at idle, after the above; rounds: ${imports.map((x) => (x.saved / 1000).toFixed(2)).join(', ')})`);
console.log(`  frame time, the same cluster with its nodes collapsed, pan + zoom (no packet), both in a ${Math.round(bigApp[0].canvas.width)}×${Math.round(bigApp[0].canvas.height)} canvas (${bigApp[0].rendered} and ${bigBare[0].rendered} boxes rendered at the end):`);
console.log(`    podpath                   ${bigAppMean.toFixed(2)} ms  (p95 ${median(bigApp.map((x) => x.p95)).toFixed(2)} ms)`);
console.log(`    bare React Flow           ${bigBareMean.toFixed(2)} ms  (p95 ${median(bigBare.map((x) => x.p95)).toFixed(2)} ms)`);
console.log(`    ratio ${bigRatio.toFixed(2)}× (budget ≤ ${RATIO_BUDGET}×) ${bigRatio <= RATIO_BUDGET ? '✓ met' : '✗ not met'}`);
if (jsGzip > JS_BUDGET || notOnDemand.length || ratio > RATIO_BUDGET || usable > USABLE_BUDGET_MS || bigRatio > RATIO_BUDGET) process.exitCode = 1;
