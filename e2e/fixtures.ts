// Shared by the browser tests: fail on any uncaught page error or console error,
// read the cluster the page holds, and ask the engine (in Node) for its trace.
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { compile, trace, type Hop, type Scenario, type Trace, type TraceRequest } from '../src/sim/index.ts';
import { restoreSave, type SavedPlayground } from '../src/sim/scenario/restore.ts';

export const SHOTS = process.env.PODPATH_SHOTS ?? '/tmp/podpath-shots';
mkdirSync(SHOTS, { recursive: true });

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
      });
      await use(errors);
      expect(errors, 'uncaught errors on the page').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** What the page has saved (the cluster and the packet being traced), read back by the page's own restore function. */
export async function saved(page: Page): Promise<SavedPlayground> {
  // The page saves a moment after a change (and its edits load beside the first render):
  // wait for a save to exist rather than read an empty store.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('podpath') !== null), { message: 'the page saved nothing' }).toBe(true);
  const raw = await page.evaluate(() => localStorage.getItem('podpath'));
  if (!raw) throw new Error('nothing saved');
  const r = restoreSave(raw);
  if (!r.ok) throw new Error(`the page saved what it cannot read back: ${JSON.stringify(r.problem)}`);
  return r.value;
}

/** The engine's trace for the page's own cluster and request. */
export function engineTrace(scenario: Scenario, request: TraceRequest): Trace {
  const r = trace(compile(scenario), request);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** The engine's hops for the page's own cluster and request, as the list shows them. */
export function engineHops(scenario: Scenario, request: TraceRequest): Hop[] {
  return engineTrace(scenario, request).hops;
}

export function hopText(h: Hop): string {
  return hopTextWith('node network')(h);
}

/** As hopText, where the node network is called something else (in vpc, the VPC fabric). */
export const hopTextWith = (nodeNetwork: string) => (h: Hop): string => {
  const where = h.netns === 'node-network' ? nodeNetwork : `${h.netns} · ${h.device}`;
  return `${where}|${h.action}|${h.why}`;
};

/** The Hops list as the person sees it: where | action | why, one entry per item. */
export async function listedHops(page: Page): Promise<string[]> {
  const items = page.getByRole('list', { name: 'Hops' }).getByRole('listitem');
  return items.evaluateAll((els) =>
    els.map((el) => ['where', 'action', 'why'].map((part) => el.querySelector(`[data-part="${part}"]`)?.textContent ?? '').join('|')),
  );
}

/** Drag a wire from a Service's handle to the middle of a pod's body (nowhere near the pod's handle). */
export async function wireServiceToPodBody(page: Page, service: Locator, pod: Locator) {
  const from = (await service.locator('.react-flow__handle').boundingBox())!;
  const to = (await pod.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height * 0.6, { steps: 12 });
  await page.mouse.up();
}

/** The verdict, where the Walkthrough shows it once the walk has ended. */
export const verdict = (page: Page) => page.getByRole('region', { name: 'Walkthrough' }).getByRole('status');

/** The current hop's index. By `li`, not role: a phone's sheet hides every hop but the current one. */
export async function currentHop(page: Page): Promise<number> {
  const items = page.getByRole('list', { name: 'Hops' }).locator('li');
  return items.evaluateAll((els) => els.findIndex((el) => el.getAttribute('aria-current') === 'step'));
}

/**
 * Until the packet stands where the current hop puts it: its position (and the ring
 * around the hop's device) has reached the place the page set, and no glide is running.
 * At once when no packet is on the canvas.
 */
export async function packetAtRest(page: Page) {
  await page.waitForFunction(() => {
    const pos = document.querySelector<HTMLElement>('[data-testid="packet"]');
    if (!pos) return true;
    const target = /translate\(([-\d.e+]+)px, ([-\d.e+]+)px\)/.exec(pos.style.transform);
    const now = new DOMMatrixReadOnly(getComputedStyle(pos).transform);
    const there = !!target && Math.abs(now.m41 - Number(target[1])) < 0.01 && Math.abs(now.m42 - Number(target[2])) < 0.01;
    return there && document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running');
  });
}

/**
 * Until the canvas stops moving: the view (its pan and zoom) unchanged for `quietMs`.
 * The page re-frames the cluster 30 ms after it changes and pans to the packet 60 ms
 * after a step, so a view quiet for longer than that has finished its own moves.
 */
export async function viewAtRest(page: Page, quietMs = 150) {
  await page.evaluate(() => delete (window as { __podpathView?: unknown }).__podpathView);
  await page.waitForFunction(
    (quiet) => {
      const w = window as { __podpathView?: { view: string; since: number } };
      // Not before the canvas is there with its boxes measured (React Flow hides a box until then; the canvas may come after the page's load
      // event on a busy machine): a view "at rest" before the first framing is no view at all.
      const viewport = document.querySelector('.react-flow__viewport');
      if (!viewport || document.querySelector('.react-flow__node[style*="visibility: hidden"]')) return false;
      const view = viewport.getAttribute('style') ?? '';
      const now = performance.now();
      if (w.__podpathView?.view !== view) {
        w.__podpathView = { view, since: now };
        return false;
      }
      return now - w.__podpathView.since >= quiet;
    },
    quietMs,
    { polling: 'raf' },
  );
}

/** A picture of what the person sees once it has stopped moving. */
export async function shot(page: Page, name: string) {
  await packetAtRest(page);
  await viewAtRest(page);
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}
