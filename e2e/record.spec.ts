// "Record lesson" as a teacher meets it: do the steps once in the playground (a packet
// played, a CNI switch, a packet predicted), Stop, and the lesson file downloads; it
// reads back with `podpath lesson` and opens in the lesson player, step by step.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, shot, SHOTS, test } from './fixtures.ts';
import { readLesson } from '../src/sim/lesson/index.ts';

test('Record lesson: each packet, the CNI switch and a prediction become steps; Stop downloads a lesson that podpath lesson and the player read', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  const record = page.getByRole('button', { name: 'Record lesson' });
  await record.click();
  const indicator = page.getByRole('region', { name: 'Recording a lesson' }).getByRole('status');
  await expect(indicator).toHaveText('Recording — 0 steps');
  // The keyboard is on Stop, ready.
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeFocused();

  await page.getByRole('button', { name: 'Send packet' }).click();
  await expect(indicator).toHaveText('Recording — 1 step');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByLabel('CNI', { exact: true }).selectOption('flannel-vxlan');
  await expect(indicator).toHaveText('Recording — 2 steps');
  // Choosing another destination, then turning Predict on, is still one step: nothing was played in between.
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(indicator).toHaveText('Recording — 3 steps');
  await shot(page, 'record-lesson-recording-1280x720');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(indicator).toBeInViewport();
  await shot(page, 'record-lesson-recording-1920x1080');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('podpath-lesson.yaml');
  const file = join(SHOTS, 'recorded-lesson.yaml');
  await download.saveAs(file);
  await expect(page.getByRole('button', { name: 'Record lesson' })).toBeFocused();
  await expect(page.getByText('Saved podpath-lesson.yaml: 3 steps')).toBeVisible();

  // The lesson reader reads it back: three steps, as done, each for the teacher to narrate.
  const text = readFileSync(file, 'utf8');
  const read = readLesson(text, 'podpath-lesson.yaml');
  if (!read.ok) throw new Error(JSON.stringify(read.issues));
  const steps = read.value.steps;
  expect(steps.map((s) => s.say)).toEqual(['Say what happens here.', 'Say what happens here.', 'Say what happens here.']);
  expect(steps[0].packet?.request.from).toEqual({ kind: 'pod', namespace: 'default', name: 'client' });
  expect(steps[1].cni).toBe('flannel-vxlan');
  expect(steps[2].packet?.request.to).toEqual({ kind: 'service', namespace: 'default', name: 'web', port: 80 });
  expect(steps[2].question?.parts).toEqual(['answer', 'verdict', 'source', 'devices']);
  // And the command line checks it, step by step, against the engine.
  const out = execFileSync('node', ['bin/podpath.mjs', 'lesson', file], { encoding: 'utf8' });
  expect(out).toContain('A recorded lesson (3 steps): OK, every step checked against its cluster');
  expect(out).toContain('cni: flannel-vxlan');

  // Opened in the player as any lesson file: step 1 of 3.
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByLabel('Lesson file').setInputFiles(file);
  const player = page.getByRole('region', { name: 'Lesson' });
  await expect(player.getByRole('progressbar', { name: 'Lesson progress' })).toHaveAttribute('aria-valuetext', 'Step 1 of 3');
  await expect(player).toContainText('Say what happens here.');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(player.getByRole('list', { name: 'What this step changed' })).toContainText('the CNI is now flannel-vxlan');
  // No recording while a lesson plays.
  await expect(page.getByRole('button', { name: 'Record lesson' })).toBeDisabled();
});
