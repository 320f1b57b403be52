// A lecturer's link opened on what students carry: a phone held upright (touch, a mobile
// viewport) and a tablet either way up. The canvas is the page (full width, never under
// 60 % of the height), the bar is one row with the rest in its menu, the walk and the
// inspector share a sheet, and the current hop's explanation is whole and ≥ 16 px.
import type { Browser, Locator, Page } from '@playwright/test';
import { compile, show, type Trace } from '../src/sim/index.ts';
import { currentHop, engineTrace, expect, saved, shot, test } from './fixtures.ts';

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
const TABLET_UPRIGHT = { viewport: { width: 768, height: 1024 }, hasTouch: true };
const TABLET_SIDEWAYS = { viewport: { width: 1024, height: 768 }, hasTouch: true };

const canvas = (page: Page) => page.locator('[data-canvas]');
const sheetTab = (page: Page, name: 'Packet' | 'Inspector') => page.getByRole('tablist', { name: 'Panels' }).getByRole('tab', { name });
const currentWhy = (page: Page) => page.getByRole('list', { name: 'Hops' }).locator('[aria-current="step"] [data-part="why"]');

async function box(l: Locator) {
  const b = await l.boundingBox();
  if (!b) throw new Error('not on the page');
  return b;
}

/** The canvas spans the width (or, a tablet turned sideways, most of it) and at least 60 % of the height. */
async function expectCanvasIsThePage(page: Page, fullWidth = true) {
  const { width, height } = page.viewportSize()!;
  const b = await box(canvas(page));
  if (fullWidth) {
    expect(b.x).toBeLessThanOrEqual(0.5);
    expect(b.width).toBeGreaterThanOrEqual(width - 1);
  } else expect(b.width).toBeGreaterThanOrEqual(width * 0.6);
  expect(b.height).toBeGreaterThanOrEqual(height * 0.6);
}

/** The top bar is one row: each control in it sits on the same line, and nothing spills off the screen. */
async function expectOneRowBar(page: Page) {
  const bar = page.getByRole('banner');
  const controls = await bar.locator(':scope > *:visible').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom, right: r.right })));
  expect(controls.length).toBe(3); // the brand, Send packet, Menu
  const mid = (c: { top: number; bottom: number }) => (c.top + c.bottom) / 2;
  for (const c of controls) expect(Math.abs(mid(c) - mid(controls[0]))).toBeLessThan(4);
  expect(Math.max(...controls.map((c) => c.right))).toBeLessThanOrEqual(page.viewportSize()!.width);
  expect((await box(bar)).height).toBeLessThan(64);
}

/** The current hop's explanation: shown whole inside the screen and the sheet, in type of at least 16 px. */
async function expectCurrentHopReadable(page: Page) {
  const why = currentWhy(page);
  await expect(why).toBeVisible();
  const b = await box(why);
  const panel = await box(page.getByRole('tabpanel', { name: 'Packet' }));
  const { width, height } = page.viewportSize()!;
  expect(b.x).toBeGreaterThanOrEqual(panel.x);
  expect(b.x + b.width).toBeLessThanOrEqual(Math.min(width, panel.x + panel.width) + 0.5);
  expect(b.y).toBeGreaterThanOrEqual(panel.y - 0.5);
  expect(b.y + b.height).toBeLessThanOrEqual(Math.min(height, panel.y + panel.height) + 0.5);
  const px = await why.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(px).toBeGreaterThanOrEqual(16);
}

/** Open the demo, send a packet, step through it, select a pod and read its ip route: by touch, as a student would. */
async function mainFlow(page: Page, name: string, fullWidth: boolean) {
  await page.goto('/');
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  await expectCanvasIsThePage(page, fullWidth);
  await expectOneRowBar(page);
  await shot(page, `${name}-01-demo`);

  // The menu holds the rest of the bar: it opens over the canvas, Escape closes it and gives the keyboard back.
  const menu = page.getByRole('button', { name: 'Menu' });
  await menu.tap();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  const menuPanel = page.getByRole('group', { name: 'Menu' });
  for (const control of ['Node', 'Pod', 'Service', 'Lessons', 'Present', 'New', 'Import', 'Export', 'Share', 'Undo']) {
    await expect(menuPanel.getByRole('button', { name: control, exact: true })).toBeVisible();
  }
  await expect(menuPanel.getByRole('combobox', { name: 'CNI' })).toBeVisible();
  await expect(menuPanel.getByRole('combobox', { name: 'kube-proxy' })).toBeVisible();
  await shot(page, `${name}-02-menu`);
  await menuPanel.getByRole('combobox', { name: 'CNI' }).focus();
  await page.keyboard.press('Escape');
  await expect(menuPanel).toBeHidden();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();

  await page.getByRole('button', { name: 'Send packet' }).tap();
  await expect(sheetTab(page, 'Packet')).toHaveAttribute('aria-selected', 'true');
  await expect(currentWhy(page)).toBeVisible();
  const st = await saved(page);
  const t = engineTrace(st.scenario, st.request!);
  await expect(currentWhy(page)).toHaveText(t.hops[0].why);
  await expectCanvasIsThePage(page, fullWidth);
  await expectCurrentHopReadable(page);
  await shot(page, `${name}-03-sent`);

  // Tap Step through the walk: each hop's own explanation, whole, the canvas as large as before.
  const steps = Math.min(4, t.hops.length - 1);
  for (let i = 1; i <= steps; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).tap();
    await expect.poll(() => currentHop(page)).toBe(i);
    await expect(currentWhy(page)).toHaveText(t.hops[i].why);
    await expectCurrentHopReadable(page);
  }
  await expectCanvasIsThePage(page, fullWidth);
  await shot(page, `${name}-04-stepped`);

  // Tap a pod: the Inspector tab, its netns terminal printing the engine's ip route for it.
  await page.getByLabel('pod web-1 10.244.0.3', { exact: true }).tap();
  await expect(sheetTab(page, 'Inspector')).toHaveAttribute('aria-selected', 'true');
  const term = page.getByLabel('netns default/web-1');
  await expect(term).toBeVisible();
  await expect(term.getByRole('tab', { name: 'ip addr · route' })).toHaveAttribute('aria-selected', 'true');
  const shown = show(compile(st.scenario), 'default/web-1');
  if (!shown.ok) throw new Error(JSON.stringify(shown.issues));
  const routes = shown.value.route.split('\n').filter(Boolean);
  expect(routes.length).toBeGreaterThan(0);
  for (const r of routes) await expect(term.getByText(r, { exact: true })).toBeVisible();
  // The routes are read (scrolled to, as a finger would): on the screen, in the terminal, and the canvas keeps its size.
  // Held upright the terminal is in the sheet under the canvas; turned sideways, under the canvas as on a desktop.
  const last = term.getByText(routes[routes.length - 1], { exact: true });
  await last.scrollIntoViewIfNeeded();
  const at = await box(last);
  const shownIn = fullWidth ? await box(page.getByRole('tabpanel', { name: 'Inspector' })) : await box(term);
  const frame = await box(canvas(page));
  expect(at.y).toBeGreaterThanOrEqual(frame.y + frame.height - 0.5);
  expect(at.y).toBeGreaterThanOrEqual(shownIn.y);
  expect(at.y + at.height).toBeLessThanOrEqual(Math.min(shownIn.y + shownIn.height, page.viewportSize()!.height) + 0.5);
  await expectCanvasIsThePage(page, fullWidth);
  await shot(page, `${name}-05-ip-route`);

  // Back to the walk: the Packet tab, at the hop it was.
  await sheetTab(page, 'Packet').tap();
  await expect(currentWhy(page)).toHaveText(t.hops[steps].why);
}

/** A lecturer's link to a packet from client to web-2 at the hop `at` picks, made on a desktop as a lecturer would. */
async function lecturersLink(browser: Browser, at: (t: Trace) => number) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByRole('combobox', { name: 'To', exact: true }).selectOption('pod:default/web-2');
  const before = await saved(page);
  const hop = at(engineTrace(before.scenario, before.request!));
  while ((await currentHop(page)) < hop) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const field = page.getByRole('dialog', { name: 'Share this playground' }).getByRole('textbox', { name: 'Link' });
  await expect(field).toHaveValue(/#s=[A-Za-z0-9_-]+$/);
  const link = new URL(await field.inputValue());
  // What the link holds (a link opened elsewhere is not saved there until edited).
  const st = await saved(page);
  await context.close();
  return { link: `/${link.hash}`, st, hop };
}

test.describe('on a phone (390×844, touch)', () => {
  test.use(PHONE);

  test('open the demo, send a packet, step through it, tap a pod and read its ip route', async ({ page }) => {
    await mainFlow(page, 'phone', true);
  });

  test("a lecturer's share link opens fitted to the packet's path, the current hop whole and ≥ 16 px", async ({ page, browser }) => {
    // At the hop with the longest explanation of the walk: the hardest to show whole.
    const longest = (t: Trace) => t.hops.reduce((best, h, i) => (h.why.length > t.hops[best].why.length ? i : best), 0);
    const { link, st, hop } = await lecturersLink(browser, longest);
    await page.goto(link);
    await expect.poll(() => currentHop(page)).toBe(hop);
    await expect(sheetTab(page, 'Packet')).toHaveAttribute('aria-selected', 'true');
    const t = engineTrace(st.scenario, st.request!);
    await expect(currentWhy(page)).toHaveText(t.hops[hop].why);
    await shot(page, 'phone-06-share-link');
    await expectCanvasIsThePage(page, true);
    await expectCurrentHopReadable(page);
    // Fitted to the path: every node the walk visits is whole inside the canvas, and the packet is on it.
    const frame = await box(canvas(page));
    const visited = [...new Set(t.hops.map((h) => st.scenario.pods.find((p) => `${p.namespace}/${p.name}` === h.netns)?.nodeName ?? h.netns))].filter((n) =>
      st.scenario.nodes.some((x) => x.name === n),
    );
    expect(visited.length).toBe(2);
    for (const n of visited) {
      const b = await box(page.getByLabel(new RegExp(`^node ${n} `)));
      expect(b.x).toBeGreaterThanOrEqual(frame.x - 0.5);
      expect(b.x + b.width).toBeLessThanOrEqual(frame.x + frame.width + 0.5);
      expect(b.y).toBeGreaterThanOrEqual(frame.y - 0.5);
      expect(b.y + b.height).toBeLessThanOrEqual(frame.y + frame.height + 0.5);
    }
    const packet = await box(page.getByTestId('packet'));
    expect(packet.x).toBeGreaterThanOrEqual(frame.x);
    expect(packet.y).toBeGreaterThanOrEqual(frame.y);
    expect(packet.y + packet.height).toBeLessThanOrEqual(frame.y + frame.height);

    // The packet's label stays whole across the narrow canvas at every hop of the walk (it
    // slides sideways at the edge). Without motion, so each hop is measured where it rests.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const label = page.getByTestId('packet').locator('> div');
    await sheetTab(page, 'Packet').tap();
    await page.getByRole('button', { name: 'Restart', exact: true }).tap();
    for (let i = 0; i < t.hops.length; i++) {
      await expect.poll(() => currentHop(page)).toBe(i);
      await expect
        .poll(async () => {
          const b = await box(label);
          return b.x >= frame.x && b.x + b.width <= frame.x + frame.width;
        }, { message: `the packet's label is whole across the canvas at hop ${i}` })
        .toBe(true);
      if (i < t.hops.length - 1) await page.getByRole('button', { name: 'Step', exact: true }).tap();
    }
  });
});

test.describe('on a tablet held upright (768×1024, touch)', () => {
  test.use(TABLET_UPRIGHT);
  test('open the demo, send a packet, step through it, tap a pod and read its ip route', async ({ page }) => {
    await mainFlow(page, 'tablet-768', true);
  });
});

test.describe('on a tablet turned sideways (1024×768, touch)', () => {
  test.use(TABLET_SIDEWAYS);
  test('open the demo, send a packet, step through it, tap a pod and read its ip route', async ({ page }) => {
    await mainFlow(page, 'tablet-1024', false);
  });
});

test.describe('a lesson on a phone (390×844, touch)', () => {
  test.use(PHONE);
  test("the lesson player leaves the canvas 60 % of the height and the sheet its playback", async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Menu' }).tap();
    await page.getByRole('button', { name: 'Lessons', exact: true }).tap();
    const list = page.getByRole('dialog', { name: 'Lessons' });
    await list.getByRole('list', { name: 'Built-in lessons' }).getByRole('button').first().tap();
    await expect(list).toHaveCount(0);
    // Choosing a lesson closes the menu: the lesson player is not under it.
    await expect(page.getByRole('group', { name: 'Menu' })).toBeHidden();
    const player = page.getByRole('region', { name: 'Lesson' });
    await expect(player).toBeVisible();
    await expectCanvasIsThePage(page, true);
    // The sheet under the canvas keeps its tabs and the first row of its panel; the page does not run off the screen.
    const sheet = await box(page.getByRole('complementary', { name: 'Panels' }));
    expect(sheet.height).toBeGreaterThanOrEqual(80);
    expect(sheet.y + sheet.height).toBeLessThanOrEqual(page.viewportSize()!.height + 0.5);
    await shot(page, 'phone-07-lesson');
  });
});
