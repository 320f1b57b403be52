// Share, picture and print, as a class uses them: a link opens the same cluster,
// packet and hop in another browser (without costing that browser its own saved
// playground), a damaged link opens the demo with the reason, the PNG and SVG
// download as real images of the cluster and the walk, and the printout holds every hop.
import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { currentHop, engineHops, expect, listedHops, saved, SHOTS, shot, test } from './fixtures.ts';

const shareDialog = (page: Page) => page.getByRole('dialog', { name: 'Share this playground' });

/** Open the Share dialog and read its link. */
async function linkOf(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const field = shareDialog(page).getByRole('textbox', { name: 'Link' });
  await expect(field).toHaveValue(/#s=[A-Za-z0-9_-]+$/);
  return field.inputValue();
}

async function stepTo(page: Page, hop: number) {
  while ((await currentHop(page)) < hop) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => currentHop(page)).toBe(hop);
}

/** A fresh browser (its own storage) that fails the test on any page error. */
async function otherBrowser(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { context, page, errors };
}

test('a share link opens the same cluster, packet and hop in another browser, over its own playground without saving over it', async ({ page, browser, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  // The teacher's own cluster: a third node, and a packet to web-2 on node-2, at hop 6.
  await page.getByRole('button', { name: 'Node', exact: true }).click();
  await expect(page.getByLabel(/^node node-3 /)).toBeVisible();
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByRole('combobox', { name: 'To', exact: true }).selectOption('pod:default/web-2');
  await stepTo(page, 5);
  const teacherHops = await listedHops(page);
  const st = await saved(page);
  expect(teacherHops.length).toBe(engineHops(st.scenario, st.request!).length);

  const link = await linkOf(page);
  await expect(shareDialog(page).getByRole('img', { name: 'QR code of the link' })).toBeVisible();
  await shareDialog(page).getByRole('button', { name: 'Copy' }).click();
  await expect(shareDialog(page).getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  for (const [w, h] of [[1280, 720], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/share-01-dialog-${w}x${h}.png` });
  }
  await page.keyboard.press('Escape');
  await expect(shareDialog(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Share', exact: true })).toBeFocused();

  // A student's browser, with a playground of their own saved.
  const student = await otherBrowser(browser);
  await student.page.goto('/');
  await student.page.getByRole('button', { name: 'Service', exact: true }).click();
  await expect(student.page.getByLabel(/^service svc-/)).toBeVisible();
  await expect.poll(() => student.page.evaluate(() => localStorage.getItem('podpath')?.includes('svc-'))).toBe(true);
  const own = await student.page.evaluate(() => localStorage.getItem('podpath'));

  // Opened at load: the teacher's cluster, packet and hop.
  const opened = await student.context.newPage();
  opened.on('pageerror', (e) => student.errors.push(e.message));
  await opened.goto(link);
  await expect(opened.getByLabel(/^node node-3 /)).toBeVisible();
  await expect(opened.getByRole('status').filter({ hasText: 'Opened a shared playground' })).toBeVisible();
  await expect.poll(() => currentHop(opened)).toBe(5);
  await expect.poll(() => listedHops(opened)).toEqual(teacherHops);
  await expect(opened.getByLabel(/^service svc-/)).toHaveCount(0);
  await shot(opened, 'share-02-opened-link');
  // Not saved over the student's own.
  expect(await opened.evaluate(() => localStorage.getItem('podpath'))).toBe(own);

  // Their first edit makes it theirs: saved, theirs set aside, the link out of the address bar.
  await opened.getByRole('button', { name: 'Node', exact: true }).click();
  await expect(opened.getByLabel(/^node node-4 /)).toBeVisible();
  await expect.poll(() => opened.evaluate(() => localStorage.getItem('podpath-before-link'))).toBe(own);
  await expect.poll(() => opened.evaluate(() => localStorage.getItem('podpath')?.includes('node-4'))).toBe(true);
  await expect.poll(() => opened.evaluate(() => location.hash)).toBe('');
  // Theirs is one click away, and switching sets the edited link aside in its place.
  const bar = opened.getByRole('region', { name: /^Another playground is kept in this browser/ });
  await expect(bar).toBeVisible();
  await shot(opened, 'share-07-set-aside');
  await bar.getByRole('button', { name: 'Switch to it' }).click();
  await expect(opened.getByLabel(/^service svc-/)).toBeVisible();
  await expect(opened.getByLabel(/^node node-4 /)).toHaveCount(0);
  await expect.poll(() => opened.evaluate(() => localStorage.getItem('podpath'))).toBe(own);
  await expect.poll(() => opened.evaluate(() => localStorage.getItem('podpath-before-link')?.includes('node-4'))).toBe(true);

  // A link pasted into the address bar of an open page opens too.
  await student.page.evaluate((l) => (location.hash = new URL(l).hash), link);
  await expect(student.page.getByLabel(/^node node-3 /)).toBeVisible();
  await expect.poll(() => currentHop(student.page)).toBe(5);
  expect(student.errors).toEqual([]);
  await student.context.close();
});

test('a link made in a lesson opens that lesson step, with its endpoint and hop', async ({ page, browser }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByRole('dialog', { name: 'Lessons' }).getByRole('button', { name: /^Services/ }).click();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Lesson progress' })).toHaveAttribute('aria-valuenow', '3');
  await stepTo(page, 6);
  const teacherHops = await listedHops(page);
  // kube-proxy's second endpoint: the DNAT to web-…-c5mgg's address.
  expect(teacherHops.join('\n')).toContain('10.244.1.2:8080');
  const link = await linkOf(page);
  await page.keyboard.press('Escape');

  const student = await otherBrowser(browser);
  await student.page.goto(link);
  await expect(student.page.getByRole('progressbar', { name: 'Lesson progress' })).toHaveAttribute('aria-valuenow', '3');
  await expect(student.page.getByRole('region', { name: 'Lesson' })).toContainText('A random pick');
  await expect.poll(() => currentHop(student.page)).toBe(6);
  await expect.poll(() => listedHops(student.page)).toEqual(teacherHops);
  await shot(student.page, 'share-03-lesson-link');
  expect(student.errors).toEqual([]);
  await student.context.close();
});

test('a tampered or truncated link opens the demo with the reason, never an error', async ({ page }) => {
  await page.goto('/');
  const link = await linkOf(page);
  await page.keyboard.press('Escape');
  const packed = new URL(link).hash.slice(3);

  await page.goto(`/#s=${packed.slice(0, 20)}*${packed.slice(21)}`);
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'This share link is damaged' });
  await expect(alert).toContainText('The demo cluster is open instead; your own saved playground is untouched.');
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  await shot(page, 'share-04-damaged-link');

  // Cut short when copied.
  await page.goto(`/#s=${packed.slice(0, (packed.length >> 1) & ~3)}`);
  await page.reload();
  await expect(page.getByRole('alert').filter({ hasText: /This share link (is damaged|does not hold a playground)/ })).toBeVisible();
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
});

test('PNG and SVG download the cluster and every hop of the walk', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  const st = await saved(page);
  const hops = engineHops(st.scenario, st.request!);

  const svgDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'SVG', exact: true }).click();
  const svgFile = await svgDownload;
  expect(svgFile.suggestedFilename()).toBe('podpath-client-to-web-1.svg');
  const svg = readFileSync(await svgFile.path(), 'utf8');
  // Well-formed, read by the browser's own XML parser.
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { errors: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.tagName, words: [...doc.getElementsByTagName('text')].map((t) => t.textContent).join(' ').replace(/\s+/g, ' ') };
  }, svg);
  expect(parsed).toMatchObject({ errors: 0, root: 'svg' });
  for (const p of st.scenario.pods) expect(parsed.words).toContain(`pod ${p.name}`);
  for (const p of st.scenario.pods) expect(parsed.words).toContain(p.podIP!);
  for (const h of hops) expect(parsed.words).toContain(h.why.replace(/\s+/g, ' '));

  const pngDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'PNG', exact: true }).click();
  const pngFile = await pngDownload;
  expect(pngFile.suggestedFilename()).toBe('podpath-client-to-web-1.png');
  await pngFile.saveAs(`${SHOTS}/share-08-picture.png`);
  const png = readFileSync(await pngFile.path());
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // The SVG drawn at twice its size.
  const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Number(w) * 2, Number(h) * 2]);
  await expect(page.getByRole('status').filter({ hasText: 'Saved podpath-client-to-web-1.png' })).toBeVisible();
});

test('the printout is the drawing and every hop in full, without the bars and panels', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByRole('combobox', { name: 'To', exact: true }).selectOption('pod:default/web-2');
  const st = await saved(page);
  const hops = engineHops(st.scenario, st.request!);
  await page.emulateMedia({ media: 'print' });
  const printout = page.getByRole('article', { name: 'Printout' });
  await expect(printout).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send packet' })).toBeHidden();
  await expect(page.getByRole('region', { name: 'Walkthrough' })).toBeHidden();
  await expect(printout.getByRole('listitem')).toHaveCount(hops.length);
  for (const h of hops) await expect(printout).toContainText(h.why);
  await expect(printout.getByRole('img', { name: "The cluster, with the packet's path" })).toBeVisible();
  for (const [w, h] of [[1280, 720], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/share-05-print-${w}x${h}.png`, fullPage: true });
  }
  const pdf = await page.pdf({ path: `${SHOTS}/share-06-print.pdf` });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.emulateMedia({ media: 'screen' });
  await expect(printout).toHaveCount(0);
});
