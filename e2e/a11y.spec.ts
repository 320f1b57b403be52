// Accessibility, as axe-core audits it (WCAG 2.1 A and AA, and its best practices:
// one level-one heading, everything inside a landmark, a scrollable region the
// keyboard can reach): 0 violations in every view a person meets — the first view,
// a walk under way, the inspector and netns terminal, presenter mode, each dialog,
// a phone. Then the keyboard alone, and reduced motion.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { currentHop, expect, SHOTS, test } from './fixtures.ts';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** axe-core's findings on the page as it is now, one readable line per element. */
async function audit(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`));
}

const step = (page: Page) => page.getByRole('button', { name: 'Step', exact: true }).click();

test.describe('at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the first view', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'podpath' })).toBeVisible();
    expect(await audit(page)).toEqual([]);
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
  });

  test('with the inspector and the netns terminal open', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    await step(page);
    await page.getByLabel(/^pod client /).click();
    await expect(page.getByRole('tablist')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Name' }).first()).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/a11y-terminal-1280.png` });
  });

  test('in presenter mode', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Send packet' }).click();
    await step(page);
    await page.getByRole('button', { name: 'Present' }).click();
    await expect(page.getByRole('button', { name: 'Send packet' })).toBeHidden();
    expect(await audit(page)).toEqual([]);
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
  });
});
