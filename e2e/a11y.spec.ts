// Accessibility, as axe-core audits it (WCAG 2.1 A and AA, and its best practices:
// one level-one heading, everything inside a landmark, a scrollable region the
// keyboard can reach): 0 violations in every view a person meets — the first view,
// a walk under way, the inspector and netns terminal, presenter mode, each dialog,
// a phone. Then the keyboard alone, and reduced motion.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { currentHop, expect, packetAtRest, shot, test, viewAtRest, wireServiceToPodBody } from './fixtures.ts';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** axe-core's findings on the page as it is now, one readable line per element (and the page's one <h1>). */
async function audit(page: Page): Promise<string[]> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`));
}

/** Pictures to look at, at 1280×720 and 1920×1080 (then back to 1280×720). */
async function shots(page: Page, name: string) {
  await shot(page, `${name}-1280`);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await shot(page, `${name}-1920`);
  await page.setViewportSize({ width: 1280, height: 720 });
}

const step = (page: Page) => page.getByRole('button', { name: 'Step', exact: true }).click();

test.describe('at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the first view', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'podpath' })).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await shots(page, 'a11y-first-view');
  });

  test('during a walk, a few hops in, and at its verdict', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    for (let i = 0; i < 3; i++) await step(page);
    await expect.poll(() => currentHop(page)).toBe(3);
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('End');
    await page.getByRole('list', { name: 'Hops' }).getByRole('listitem').last().click();
    await expect(page.getByRole('region', { name: 'Walkthrough' }).getByRole('status')).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await shots(page, 'a11y-walk-verdict');
  });

  test('with the inspector and the netns terminal open', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    await step(page);
    await page.getByLabel(/^pod client /).click();
    await expect(page.getByRole('tablist')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Name' }).first()).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await shots(page, `a11y-terminal`);
  });

  test('in presenter mode', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    await step(page);
    await page.getByRole('button', { name: 'Present' }).click();
    await expect(page.getByRole('button', { name: 'Send packet' })).toBeHidden();
    expect(await audit(page)).toEqual([]);
    await shots(page, 'a11y-presenter');
  });

  test('with a prediction asked for, then with a notice of commands to copy (Run in Linux)', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    await page.getByRole('button', { name: 'Send packet' }).click();
    await expect(page.getByRole('form', { name: 'Prediction' })).toBeVisible();
    expect(await audit(page)).toEqual([]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Run in Linux', exact: true }).click();
    await download;
    await expect(page.getByRole('status').filter({ hasText: 'Saved podpath-lab.sh' })).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await shots(page, 'a11y-predict-notice');
  });

  test('with the Share dialog open', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Share this playground' })).toBeVisible();
    expect(await audit(page)).toEqual([]);
  });

  test('with the Lessons dialog open, then in a lesson', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Lessons' });
    await expect(dialog).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await dialog.getByRole('button', { name: /^Services/ }).click();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Leave', exact: true })).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await shots(page, 'a11y-lesson');
  });
});

test.describe('at 1280×720, the keyboard alone', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  /** Tab until `target` has the keyboard (at most `max` presses): it is reachable in the page's own order. */
  async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 60) {
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
      await page.keyboard.press('Tab');
    }
    await expect(target).toBeFocused();
  }
  /** The focus ring as drawn: a solid outline at least 2 px wide, in the ring's colour for that background. */
  const ring = (target: ReturnType<Page['locator']>) =>
    target.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), colour: cs.outlineColor };
    });

  test('the hop list: Tab reaches the current hop, the arrows walk the packet, a ring shows where the keyboard is', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    const list = page.getByRole('list', { name: 'Hops' });
    const item = (i: number) => list.getByRole('listitem').nth(i);
    await tabTo(page, item(0));
    expect(await ring(item(0))).toEqual({ style: 'solid', width: 3, colour: 'rgb(180, 83, 9)' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => currentHop(page)).toBe(2);
    await expect(item(2)).toBeFocused();
    await page.keyboard.press('End');
    const n = await list.getByRole('listitem').count();
    await expect.poll(() => currentHop(page)).toBe(n - 1);
    await expect(item(n - 1)).toBeFocused();
    await expect(page.getByRole('region', { name: 'Walkthrough' }).getByRole('status')).toBeVisible();
    // The walk's voice for a screen reader said the last hop and the verdict.
    await expect(page.locator('[data-announcer][aria-live="polite"]')).toContainText(`Hop ${n} of ${n}`);
    await expect(page.locator('[data-announcer][aria-live="polite"]')).toContainText('Verdict: delivered');
    await shots(page, `a11y-hop-list-focus`);
  });

  test("the netns terminal: its tabs by arrows, its output reachable by Tab, with the bright ring on the dark terminal", async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    await page.getByLabel(/^pod client /).click();
    const term = page.getByRole('region', { name: 'netns default/client' });
    const selected = term.getByRole('tab', { selected: true });
    await tabTo(page, selected);
    const first = await selected.textContent();
    await page.keyboard.press('ArrowRight');
    await expect(term.getByRole('tab', { selected: true })).not.toHaveText(first!);
    await expect(term.getByRole('tab', { selected: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(term.getByRole('tabpanel')).toBeFocused();
    expect(await ring(term.getByRole('tabpanel'))).toEqual({ style: 'solid', width: 3, colour: 'rgb(245, 158, 11)' });
    await shots(page, `a11y-terminal-focus`);
  });

  test('the dialogs: opened by keyboard, Tab stays inside, Escape closes, the keyboard goes back to the opener', async ({ page }) => {
    await page.goto('/');
    for (const [opener, name] of [
      ['Share', 'Share this playground'],
      ['Lessons', 'Lessons'],
    ] as const) {
      const button = page.getByRole('button', { name: opener, exact: true });
      await button.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name });
      await expect(dialog).toBeVisible();
      await expect.poll(() => dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        expect(await dialog.evaluate((d) => d.contains(document.activeElement)), `Tab ${i + 1} left the ${name} dialog`).toBe(true);
      }
      await shots(page, `a11y-dialog-${opener.toLowerCase()}`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(button).toBeFocused();
    }
  });

  test('the question a Service asks when wired to a pod it does not select is a modal dialog with 0 violations', async ({ page }) => {
    await page.goto('/');
    const svc = page.getByLabel(/^service web 10\.96\.0\.\d+$/);
    await viewAtRest(page);
    await wireServiceToPodBody(page, svc, page.getByLabel(/^pod client /));
    const dialog = page.getByRole('dialog', { name: 'Service web does not select pod client' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: /Label the pod/ })).toBeFocused();
    expect(await audit(page)).toEqual([]);
    await shots(page, `a11y-selector-choice`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.locator('[data-canvas]')).toBeFocused();
  });
});

test.describe('reduced motion', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the packet jumps from hop to hop: no transition or animation runs while it steps', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    const packet = page.getByTestId('packet');
    await expect(packet).toBeVisible();
    const places = new Set<string>();
    for (let i = 1; i <= 5; i++) {
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await expect.poll(() => currentHop(page)).toBe(i);
      places.add(await packet.evaluate((el) => el.style.transform));
      // At once where the hop is: the drawn position is the one set, and nothing on the page is moving.
      const now = await packet.evaluate((el) => {
        const set = /translate\(([-\d.e+]+)px, ([-\d.e+]+)px\)/.exec(el.style.transform)!;
        const drawn = new DOMMatrixReadOnly(getComputedStyle(el).transform);
        return {
          there: Math.abs(drawn.m41 - Number(set[1])) < 0.01 && Math.abs(drawn.m42 - Number(set[2])) < 0.01,
          transition: getComputedStyle(el).transitionDuration,
          running: document.getAnimations().map((a) => a.constructor.name),
        };
      });
      expect(now).toEqual({ there: true, transition: '0s', running: [] });
    }
    // It did move: through more than one place on the canvas.
    expect(places.size).toBeGreaterThan(2);
    await packetAtRest(page);
  });

  test('without the setting, the packet glides (the check above would notice an animation)', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    const packet = page.getByTestId('packet');
    await expect(packet).toBeVisible();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    expect(await packet.evaluate((el) => parseFloat(getComputedStyle(el).transitionDuration))).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.getAnimations().length)).toBeGreaterThan(0);
  });
});

test.describe('on a phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the first view and a walk', async ({ page }) => {
    await page.goto('/');
    expect(await audit(page)).toEqual([]);
    await page.getByRole('button', { name: 'Send packet' }).click();
    await step(page);
    expect(await audit(page)).toEqual([]);
    await shot(page, 'a11y-phone-walk');
  });
});

test('NetworkPolicy: the pod\'s NetworkPolicy part, its YAML editor and the Flows panel have no axe violations', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  const file = (await import('node:fs')).readFileSync(new URL('../public/scenarios/network-policy.yaml', import.meta.url), 'utf8');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'network-policy.yaml', mimeType: 'application/yaml', buffer: Buffer.from(file.replace(/  cni: calico\n  kubeProxy: iptables\n  calico:\n(    .*\n)+/, '  cni: cilium\n  kubeProxy: iptables\n')) });
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(async () => {
    await page.getByLabel(/^pod b 10\.244\.1\.2/).click();
    await expect(inspector.getByRole('heading', { name: 'pod b' })).toBeVisible({ timeout: 1000 });
  }).toPass();
  const policies = inspector.getByRole('group', { name: 'NetworkPolicy' });
  await policies.getByRole('button', { name: /z\/b to x\/b port 80\/TCP: denied/ }).click();
  await page.getByRole('region', { name: 'Flows' }).getByText('Flows', { exact: true }).click();
  await page.getByLabel(/^pod b 10\.244\.1\.2/).click();
  await policies.getByRole('button', { name: 'Edit as YAML' }).click();
  // The walk at its drop: the banner on x/b's box and the tags of the isolated pods are on the canvas.
  await page.getByRole('list', { name: 'Hops' }).getByRole('listitem').last().click();
  await expect(page.locator('.react-flow__node[data-id="pod:x/b"]').getByRole('note')).toContainText('dropped by NetworkPolicy');
  expect(await audit(page)).toEqual([]);
  // The whole matrix: a modal dialog with a table of buttons.
  await policies.getByRole('button', { name: 'Whole matrix…' }).click();
  await expect(page.getByRole('dialog', { name: 'Who may reach whom on 80/TCP' })).toBeVisible();
  expect(await audit(page)).toEqual([]);
  await page.keyboard.press('Escape');
  // The form beside its YAML, with a rule and a typo said.
  await page.getByRole('group', { name: 'Add to the cluster' }).getByRole('button', { name: 'NetworkPolicy' }).click();
  const editor = page.getByRole('dialog', { name: 'New NetworkPolicy' });
  await editor.getByRole('button', { name: 'Add ingress rule' }).click();
  await editor.getByLabel('Ports', { exact: true }).fill('80/HTTP');
  await expect(editor.getByRole('alert')).toBeVisible();
  expect(await audit(page)).toEqual([]);
});
