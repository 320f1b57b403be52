// Lessons and predictions as a class meets them: every built-in lesson walked from its
// first step to its last (the narration, what each step changed, what it highlights,
// and a walk that is exactly the engine's trace for the cluster of that step), a
// prediction answered right and wrong with its score, and pictures of both at
// projector sizes.
import type { Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { expect, hopTextWith, listedHops, shot, test } from './fixtures.ts';
import { loadLesson, placesCrossed, placeText, walkFacts, type Lesson, type LessonStep } from '../src/sim/lesson/index.ts';
import { highlightIds } from '../src/ui/lessons/highlight.ts';

const INDEX = (JSON.parse(readFileSync('public/lessons/index.json', 'utf8')) as { lessons: string[] }).lessons;
function builtin(file: string): Lesson {
  const r = loadLesson(readFileSync(`public/lessons/${file}`, 'utf8'), file, (name) => (existsSync(`public/scenarios/${name}`) ? readFileSync(`public/scenarios/${name}`, 'utf8') : undefined));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const player = (page: Page) => page.getByRole('region', { name: 'Lesson' });
const progress = (page: Page) => page.getByRole('progressbar', { name: 'Lesson progress' });

async function openLesson(page: Page, title: string) {
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByRole('dialog', { name: 'Lessons' }).getByRole('button', { name: new RegExp(`^${escape(title)}`) }).click();
  await expect(player(page)).toBeVisible();
}

/** Answer a step's question as the trace has it (right), or with answers the trace does not show (wrong). */
async function predict(page: Page, step: LessonStep, right: boolean) {
  const t = step.trace!;
  const f = walkFacts(t);
  const isPod = (netns: string) => step.scenario.pods.some((p) => `${p.namespace}/${p.name}` === netns);
  const form = page.getByRole('form', { name: 'Prediction' });
  await expect(form.getByRole('heading', { name: step.question!.ask })).toBeVisible();
  for (const part of step.question!.parts) {
    if (part === 'answer') {
      const wrong = step.scenario.pods.find((p) => `${p.namespace}/${p.name}` !== f.answeredBy)!;
      await form.getByLabel('Which pod answers?').selectOption(right ? (f.answeredBy ?? 'none') : `${wrong.namespace}/${wrong.name}`);
    } else if (part === 'verdict') {
      await form.getByLabel(right ? f.verdict : f.verdict === 'delivered' ? 'dropped' : 'delivered', { exact: true }).check();
    } else if (part === 'source') {
      await form.getByLabel('Which source address does the receiver see?').selectOption(right ? (f.sourceSeen ?? 'none') : f.sourceSeen ? 'none' : { index: 1 });
    } else {
      const places = right ? placesCrossed(t, isPod) : placesCrossed(t, isPod).slice(0, 1);
      for (const p of places) await form.getByLabel(placeText(p), { exact: true }).check();
    }
  }
  await form.getByRole('button', { name: 'Lock in prediction' }).click();
  await expect(form).toBeHidden();
}

/** Play the walk to its last hop with the keyboard, as a teacher would with a clicker's arrows. */
async function playToTheEnd(page: Page, step: LessonStep) {
  const total = step.trace!.hops.length + (step.packet!.reply ? step.trace!.reply.length : 0);
  await page.getByRole('button', { name: 'Next' }).or(page.getByRole('button', { name: 'Restart' })).first().focus();
  for (let i = 1; i < total; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('list', { name: 'Hops' }).getByRole('listitem')).toHaveCount(total);
}

for (const file of INDEX) {
  test(`lesson ${file}: every step, first to last, is the engine's for the cluster of that step; the first question answered wrong, the rest right, summed up at the end; Leave brings the demo back`, async ({ page }) => {
    const lesson = builtin(file);
    const questions = lesson.steps.map((s, i) => [s, i] as const).filter(([s]) => s.question);
    const firstAsked = questions[0]?.[1];
    await page.goto('/');
    await openLesson(page, lesson.title);
    for (const [i, step] of lesson.steps.entries()) {
      if (i > 0) await page.getByRole('button', { name: 'Next', exact: true }).click();
      await expect(progress(page)).toHaveAttribute('aria-valuetext', `Step ${i + 1} of ${lesson.steps.length}`);
      await expect(player(page)).toContainText(step.say);
      for (const c of step.changes) await expect(player(page).getByRole('list', { name: 'What this step changed' })).toContainText(c);
      for (const w of step.warnings) await expect(player(page).getByRole('list', { name: 'What this step changed' })).toContainText(w.message);
      if (step.refusal) await expect(player(page)).toContainText(`refused: ${step.refusal}`);
      // What the step points at is ringed on the canvas.
      const ids = [...highlightIds(step.scenario, step.highlight)];
      let ringed = 0;
      for (const id of ids) {
        const box = page.locator(`[data-testid="rf__node-${id}"], [data-testid="rf__edge-${id}"]`);
        if ((await box.count()) === 0) continue;
        await expect(box).toHaveClass(/highlight/);
        ringed++;
      }
      expect(ringed, `step ${i + 1} highlights ${ids.join(', ')}`).toBeGreaterThanOrEqual(step.highlight.length ? 1 : 0);
      if (!step.trace) continue;
      if (step.question) {
        // Before a prediction the packet does not move: no hops are shown.
        await expect(page.getByRole('list', { name: 'Hops' })).toHaveCount(0);
        await predict(page, step, i !== firstAsked);
      }
      await playToTheEnd(page, step);
      const nodeNetwork = step.scenario.cluster.cni === 'vpc' ? 'VPC fabric' : 'node network';
      const expected = [...step.trace.hops, ...(step.packet!.reply ? step.trace.reply : [])].map(hopTextWith(nodeNetwork));
      await expect.poll(() => listedHops(page)).toEqual(expected);
      // The verdict (a wrong prediction's score quotes the same reason: it is not the verdict).
      await expect(page.getByRole('status').filter({ hasText: step.trace.reason }).filter({ hasNotText: 'Your prediction' })).toContainText(step.trace.verdict);
      const asked = step.question?.parts.length;
      if (asked) await expect(page.getByRole('status', { name: 'Prediction score' })).toContainText(`Your prediction: ${i === firstAsked ? 0 : asked} of ${asked} right`);
    }
    // The lesson's predictions summed up at its last step: per part, and what was missed where.
    const summary = player(page).getByRole('region', { name: 'Prediction summary' });
    if (questions.length) {
      const parts = questions.flatMap(([s]) => s.question!.parts);
      const missed = questions[0][0].question!.parts;
      await expect(summary.getByRole('heading')).toHaveText(`Your predictions in this lesson: ${parts.length - missed.length} of ${parts.length} right`);
      await expect(summary.getByRole('list', { name: 'Missed predictions' }).getByRole('listitem')).toHaveCount(missed.length);
      for (const item of await summary.getByRole('list', { name: 'Missed predictions' }).getByRole('listitem').allTextContents()) expect(item).toMatch(new RegExp(`^Step ${firstAsked! + 1}\\b`));
    } else await expect(summary).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
    await page.getByRole('button', { name: 'Leave', exact: true }).click();
    await expect(player(page)).toHaveCount(0);
    await expect(page.getByLabel('pod web-2 10.244.1.2', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Lessons', exact: true })).toBeFocused();
  });
}

test('a lesson question answered wrong, then right: the score says which parts and why', async ({ page }) => {
  const lesson = builtin('03-same-host.yaml');
  const step = lesson.steps[0];
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await openLesson(page, lesson.title);
  await predict(page, step, false);
  await playToTheEnd(page, step);
  const score = page.getByRole('status', { name: 'Prediction score' });
  await expect(score.getByRole('heading')).toHaveText('Your prediction: 0 of 3 right');
  await expect(score).toContainText('Who answers: you said pod default/client; the trace shows pod default/web-1');
  await expect(score).toContainText(`Verdict: you said dropped; the trace shows delivered${step.trace!.reason}`);
  await expect(score).toContainText('Source address the receiver sees: you said nothing receives it; the trace shows 10.244.0.2');
  await expect(score).toContainText('no hop rewrote the source: 10.244.0.2 is the sender\'s own address');
  await expect(score.getByRole('heading')).toBeInViewport();
  await shot(page, 'lesson-prediction-wrong-1280x720');
  await page.getByRole('button', { name: 'Reset this step' }).click();
  await predict(page, step, true);
  await playToTheEnd(page, step);
  await expect(score.getByRole('heading')).toHaveText('Your prediction: 3 of 3 right');
  await expect(score.getByRole('listitem')).toHaveText(['✓Who answers: right — pod default/web-1', '✓Verdict: right — delivered', '✓Source address the receiver sees: right — 10.244.0.2']);
  await expect(score.getByRole('heading')).toBeInViewport();
});

test('Predict in free play: the path picked by clicking the canvas, scored with the rest', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Predict', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  const form = page.getByRole('form', { name: 'Prediction' });
  await expect(form).toBeVisible();
  await expect(page.getByRole('list', { name: 'Hops' })).toHaveCount(0);
  await form.getByLabel('Which pod answers?').selectOption('default/web-1');
  await form.getByLabel('delivered', { exact: true }).check();
  await form.getByLabel('Which source address does the receiver see?').selectOption('10.244.0.2');
  await form.getByRole('button', { name: 'Pick them on the canvas' }).click();
  // client → the Service → web-1 on the same node: the packet crosses client, node-1's cni0 and web-1; the Service box is no device.
  for (const id of ['pod:default/client', 'bridge:node-1', 'pod:default/web-1', 'svc:default/web']) await page.locator(`[data-testid="rf__node-${id}"]`).click();
  await expect(page.locator('[data-testid="rf__node-bridge:node-1"]')).toHaveClass(/highlight/);
  await expect(form.getByLabel("node-1's cni0", { exact: true })).toBeChecked();
  // Picking is not selecting: the Service clicked last is picked, not opened in the Inspector.
  await expect(page.locator('[data-testid="rf__node-svc:default/web"]')).not.toHaveClass(/selected/);
  await form.getByRole('button', { name: 'Lock in prediction' }).click();
  const hops = page.getByRole('list', { name: 'Hops' }).getByRole('listitem');
  await expect(hops).toHaveCount(1);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(hops).toHaveCount(2);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const score = page.getByRole('status', { name: 'Prediction score' });
  await expect(score.getByRole('heading')).toHaveText('Your prediction: 3 of 4 right');
  await expect(score).toContainText("Places the packet crosses: you said pod default/client, node-1's cni0, pod default/web-1, Service default/web; the trace shows pod default/client, node-1's cni0, pod default/web-1");
  await expect(score).toContainText("Service default/web is not a device: its ClusterIP is only an address that kube-proxy's rules rewrite");
  await expect(score.getByRole('heading')).toBeInViewport();
  await shot(page, 'predict-free-play-1280x720');
});

test('pictures of the lesson player and a prediction on a projector: 1280×720 and 1920×1080', async ({ page }) => {
  const lesson = builtin('04-across-hosts.yaml');
  const sameHost = builtin('03-same-host.yaml');
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await openLesson(page, lesson.title);
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(progress(page)).toHaveAttribute('aria-valuetext', 'Step 4 of 6');
    // The packet inside the tunnel: the outer header on screen.
    const encap = lesson.steps[3].trace!.hops.findIndex((h) => h.action === 'encapsulate');
    await page.getByRole('button', { name: 'Next', exact: true }).focus();
    for (let i = 0; i < encap; i++) await page.keyboard.press('ArrowRight');
    await expect(page.getByLabel('Packet headers')).toContainText('Outer (VXLAN) header');
    // The narration is large enough to read from the back of a room.
    const px = await player(page).locator('p').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(20);
    await shot(page, `lesson-player-${width}x${height}`);
    // A prediction's result, from a fresh page at this size.
    await page.goto('/');
    await openLesson(page, sameHost.title);
    await predict(page, sameHost.steps[0], false);
    await playToTheEnd(page, sameHost.steps[0]);
    await expect(page.getByRole('status', { name: 'Prediction score' }).getByRole('heading')).toBeInViewport();
    await shot(page, `lesson-prediction-${width}x${height}`);
  }
});

test('a reload during a lesson returns to the same lesson and step; Leave then gives back the cluster the person had', async ({ page }) => {
  const lesson = builtin('04-across-hosts.yaml');
  await page.goto('/');
  // The person's own cluster first: one more node than the demo.
  await page.getByRole('button', { name: 'Node', exact: true }).click();
  await expect(page.getByLabel(/^node node-3/)).toBeVisible();
  await openLesson(page, lesson.title);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(progress(page)).toHaveAttribute('aria-valuetext', `Step 3 of ${lesson.steps.length}`);
  await page.reload();
  await expect(player(page)).toBeVisible();
  await expect(progress(page)).toHaveAttribute('aria-valuetext', `Step 3 of ${lesson.steps.length}`);
  await expect(player(page)).toContainText(lesson.steps[2].say);
  await expect(page.getByLabel(/^node node-3/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(progress(page)).toHaveAttribute('aria-valuetext', `Step 4 of ${lesson.steps.length}`);
  await page.reload();
  await expect(progress(page)).toHaveAttribute('aria-valuetext', `Step 4 of ${lesson.steps.length}`);
  await page.getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(player(page)).toHaveCount(0);
  await expect(page.getByLabel(/^node node-3/)).toBeVisible();
  // Left: a reload is free play again.
  await page.reload();
  await expect(page.getByLabel(/^node node-3/)).toBeVisible();
  await expect(player(page)).toHaveCount(0);
});

test('pictures of the summary at the end of a lesson and of the EADDRINUSE step: 1280×720 and 1920×1080', async ({ page }) => {
  const ports = builtin('06-port-mapping.yaml');
  const own = builtin('01-own-netns.yaml');
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await openLesson(page, ports.title);
    for (const [i, step] of ports.steps.entries()) {
      if (i > 0) await page.getByRole('button', { name: 'Next', exact: true }).click();
      await expect(progress(page)).toHaveAttribute('aria-valuetext', `Step ${i + 1} of ${ports.steps.length}`);
      if (!step.question) continue;
      await predict(page, step, i % 2 === 0);
      await playToTheEnd(page, step);
    }
    const summary = player(page).getByRole('region', { name: 'Prediction summary' });
    await expect(summary.getByRole('heading')).toBeInViewport();
    await shot(page, `lesson-summary-${width}x${height}`);
    await page.getByRole('button', { name: 'Leave', exact: true }).click();
    await openLesson(page, own.title);
    for (let i = 1; i < own.steps.length; i++) await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(player(page).locator('[data-warning="address-in-use"]')).toBeVisible();
    await shot(page, `lesson-address-in-use-${width}x${height}`);
  }
});
