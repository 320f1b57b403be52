// Keyboard only: build a two-node cluster from New, put a pod on each node (chosen on
// the canvas by keyboard), send a packet between them and step through its walk with
// the arrows, reading the verdict. Only page.keyboard: no mouse, no click(), no focus().
// Every control passed on the way shows where the keyboard is (a focus ring).
import type { Page } from '@playwright/test';
import { engineTrace, expect, hopText, listedHops, saved, shot, test, verdict, viewAtRest } from './fixtures.ts';

test.use({ viewport: { width: 1280, height: 720 } });

interface Focused {
  tag: string;
  /** What a person would hear: its aria-label, else its text. */
  name: string;
  /** Is where the keyboard is drawn: an outline or a ring (box-shadow) in the focus colour, or filled with it; on it or (a canvas box) on the box it holds. */
  ringed: boolean;
  value: string | null;
}

/** The element the keyboard is on, and whether it is drawn so. */
const focused = (page: Page) =>
  page.evaluate((): Focused | null => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    // The focus colours as the browser computes them: --focus-ring on light surfaces,
    // --focus on the dark bars (a thin handle is filled with it rather than ringed).
    const computed = (token: string) => {
      const probe = document.createElement('i');
      probe.style.color = `var(${token})`;
      document.body.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    };
    const focusColours = [computed('--focus-ring'), computed('--focus')];
    // Their red, green and blue ("245, 158, 11"): a glow of one is the same colour, less opaque.
    const rgbOf = (c: string) => c.replace(/^rgba?\(|\)$/g, '').split(',').slice(0, 3).map((x) => x.trim()).join(', ');
    const shows = (e: Element | null) => {
      if (!e) return false;
      const cs = getComputedStyle(e);
      return focusColours.some((focusColour) => {
        const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 && cs.outlineColor === focusColour;
        return outline || cs.boxShadow.includes(rgbOf(focusColour)) || cs.backgroundColor === focusColour;
      });
    };
    return {
      tag: el.tagName.toLowerCase(),
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
      ringed: el.matches(':focus-visible') && (shows(el) || shows(el.firstElementChild)),
      value: el instanceof HTMLSelectElement ? el.value : null,
    };
  });

/**
 * Tab (or Shift+Tab) until the keyboard is on what `wanted` says; every stop passed on
 * the way must show its focus ring. Returns the stops passed.
 */
async function tabTo(page: Page, wanted: (f: Focused) => boolean, opts: { back?: boolean; most?: number } = {}): Promise<string[]> {
  const passed: string[] = [];
  for (let i = 0; i < (opts.most ?? 120); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (!f) continue;
    passed.push(f.name);
    expect(f.ringed, `the keyboard's place is drawn on "${f.name}" (${f.tag})`).toBe(true);
    if (wanted(f)) return passed;
  }
  throw new Error(`never reached by ${opts.back ? 'Shift+Tab' : 'Tab'}; passed: ${passed.join(' · ')}`);
}

/** In a focused list box: Home, then Down arrow until its value is the one wanted. */
async function choose(page: Page, value: RegExp) {
  await page.keyboard.press('Home');
  for (let i = 0; i < 30; i++) {
    if (value.test((await focused(page))?.value ?? '')) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no option ${value} in the list`);
}

const named = (name: string | RegExp) => (f: Focused) => (typeof name === 'string' ? f.name === name : name.test(f.name));

test('a two-node cluster built and a packet traced, by keyboard alone', async ({ page }) => {
  await page.goto('/');
  await viewAtRest(page);
  /** Every stop Tab passed on the way (each checked to show its focus ring). */
  const stops: string[] = [];

  // New: an empty cluster.
  stops.push(...await tabTo(page, named('New')));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(/^node node-/)).toHaveCount(0);

  // Two nodes, from the palette.
  stops.push(...await tabTo(page, named('Node'), { back: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(/^node node-1 /)).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(/^node node-2 /)).toBeVisible();
  await viewAtRest(page);

  // Each node chosen on the canvas (Tab to it, Enter selects it), then Pod adds to it.
  const inspector = page.getByRole('region', { name: 'Inspector' });
  for (const node of ['node-1', 'node-2']) {
    stops.push(...await tabTo(page, named(new RegExp(`^node ${node} `))));
    await page.keyboard.press('Enter');
    await expect(page.getByLabel(new RegExp(`^node ${node} `))).toHaveClass(/selected/);
    await expect(inspector.getByRole('heading', { level: 2 })).toContainText(node);
    stops.push(...await tabTo(page, named('Pod'), { back: true }));
    await page.keyboard.press('Enter');
  }
  await expect(page.getByLabel(/^pod pod-1 10\.244\.0\.\d+$/)).toBeVisible();
  await expect(page.getByLabel(/^pod pod-2 10\.244\.1\.\d+$/)).toBeVisible();
  const built = (await saved(page)).scenario;
  expect(built.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2']);
  expect(built.pods.map((p) => [p.name, p.nodeName])).toEqual([
    ['pod-1', 'node-1'],
    ['pod-2', 'node-2'],
  ]);

  // The packet: from pod-1 to pod-2, chosen in the Packet form with the arrows.
  stops.push(...await tabTo(page, named('Send packet')));
  await page.keyboard.press('Enter');
  // Send packet hands the keyboard to Play; the Packet form is just before it.
  await expect.poll(async () => (await focused(page))?.name).toBe('Play');
  stops.push(...await tabTo(page, named('From'), { back: true }));
  await choose(page, /pod-1$/);
  await expect(page.getByLabel('From', { exact: true })).toHaveValue(/pod-1$/);
  stops.push(...await tabTo(page, named('To')));
  await choose(page, /pod-2$/);
  await expect(page.getByLabel('To', { exact: true })).toHaveValue(/pod-2$/);
  await shot(page, 'keyboard-packet-chosen-1280');

  // Step through the hops with the arrows, back to the canvas' keyboard.
  const { request, scenario } = await saved(page);
  expect(request).not.toBeNull();
  const expected = engineTrace(scenario, request!);
  stops.push(...await tabTo(page, named('Play')));
  const hops = page.getByRole('list', { name: 'Hops' }).getByRole('listitem');
  await expect(hops).toHaveCount(expected.hops.length);
  for (let i = 1; i < expected.hops.length; i++) {
    await page.keyboard.press('ArrowRight');
    await expect(hops.nth(i)).toHaveAttribute('aria-current', 'step');
  }
  expect(expected.verdict).toBe('delivered');
  await expect(verdict(page)).toContainText('delivered');
  // What was read on the way is the engine's walk, hop by hop.
  await expect.poll(() => listedHops(page)).toEqual(expected.hops.map(hopText));
  await shot(page, 'keyboard-walk-end-1280');
  // The way went through the bar, the palette, the canvas' nodes and the Packet form, each stops.
  for (const stop of ['New', 'Node', 'Pod', 'Send packet', 'From', 'To', 'Play']) expect(stops).toContain(stop);
  expect(stops.some((n) => /^node node-1 /.test(n)) && stops.some((n) => /^node node-2 /.test(n))).toBe(true);
});

