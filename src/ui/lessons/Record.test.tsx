// @vitest-environment jsdom
// Record lesson as a teacher uses it: the button, the "● Recording — N steps"
// indicator with Stop, and the lesson file Stop downloads (read back by the lesson
// reader); the summary of predictions at a lesson's last step.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import RecordLesson, { RecordingBar } from './Record.tsx';
import LessonPlayer from './LessonPlayer.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { lessons, recorder } from '../playground.ts';
import { loadIo } from '../../store/store.ts';
import { readLesson, recordedLessonFile, scorePrediction, walkFacts } from '../../sim/lesson/index.ts';

const downloaded: { name: string; text: string }[] = [];
vi.mock('../io.ts', () => ({ download: (name: string, text: string) => void downloaded.push({ name, text }) }));

describe('Record lesson', () => {
  freshPlaygroundEachTest();
  beforeEach(async () => {
    downloaded.length = 0;
    await loadIo();
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => (f(0), 0));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('Record lesson, then each packet and change counts on the indicator; Stop downloads a lesson the reader reads back', async () => {
    const user = userEvent.setup();
    render(
      <>
        <RecordLesson />
        <RecordingBar />
      </>,
    );
    await user.click(screen.getByRole('button', { name: 'Record lesson' }));
    // The recorder loads on the first press.
    const status = within(await screen.findByRole('region', { name: 'Recording a lesson' })).getByRole('status');
    expect(status.textContent).toBe('Recording — 0 steps');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stop' }));
    act(() => st().send());
    expect(status.textContent).toBe('Recording — 1 step');
    act(() => void st().setStep(2));
    act(() => void st().setCluster({ cni: 'vpc' }));
    expect(status.textContent).toBe('Recording — 2 steps');
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(downloaded).toHaveLength(1));
    expect(downloaded[0].name).toBe('podpath-lesson.yaml');
    const back = readLesson(downloaded[0].text, 'podpath-lesson.yaml');
    expect(back.ok && back.value.steps.map((s) => [s.say, Boolean(s.packet), s.cni ?? null])).toEqual([
      ['Say what happens here.', true, null],
      ['Say what happens here.', false, 'vpc'],
    ]);
    expect(st().notice?.text).toContain('Saved podpath-lesson.yaml: 2 steps');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Record lesson' }));
  });

  it('Stop with nothing recorded downloads nothing and says how to record', async () => {
    const user = userEvent.setup();
    render(
      <>
        <RecordLesson />
        <RecordingBar />
      </>,
    );
    await user.click(screen.getByRole('button', { name: 'Record lesson' }));
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(st().notice?.text).toContain('Nothing was recorded'));
    expect(downloaded).toEqual([]);
    expect(recorder.getState().recording).toBeNull();
  });

  it('the last step of a lesson sums up the predictions: per part, and each miss with its step', async () => {
    const demo = st().scenario;
    const request = { from: { kind: 'pod' as const, namespace: 'default', name: 'client' }, to: { kind: 'pod' as const, namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' as const };
    const file = recordedLessonFile({
      name: 'two-questions',
      title: 'Two questions',
      scenario: demo,
      steps: [0, 1].map(() => ({ say: 'Predict.', highlight: [], edits: [], packet: { request, endpoint: 0, reply: false }, question: { ask: 'Who answers?', parts: ['answer' as const, 'verdict' as const] } })),
    });
    if (!file.ok) throw new Error(JSON.stringify(file.issues));
    render(<LessonPlayer />);
    await act(() => lessons.getState().start(file.lesson, 1));
    const summary = await screen.findByRole('region', { name: 'Prediction summary' });
    expect(within(summary).getByRole('heading').textContent).toBe('No prediction scored yet in this lesson');
    expect(summary.textContent).toContain('Not answered yet: steps 1 and 2');
    const t = file.lesson.steps[0].trace!;
    const isPod = (n: string) => demo.pods.some((p) => `${p.namespace}/${p.name}` === n);
    const f = walkFacts(t);
    act(() => lessons.getState().scored(0, scorePrediction(t, { answer: 'default/web-1', verdict: 'delivered' }, ['answer', 'verdict'], isPod)));
    act(() => lessons.getState().scored(1, scorePrediction(t, { answer: f.answeredBy, verdict: f.verdict }, ['answer', 'verdict'], isPod)));
    expect(within(summary).getByRole('heading').textContent).toBe('Your predictions in this lesson: 3 of 4 right');
    expect(within(summary).getByRole('list', { name: 'Right per part' }).textContent).toBe('Who answers: 1 of 2Verdict: 2 of 2');
    expect(within(summary).getByRole('list', { name: 'Missed predictions' }).textContent).toBe('Step 1 · Who answers: you said pod default/web-1; the trace shows pod default/web-2');
  });
});
