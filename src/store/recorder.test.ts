// Recording a lesson in the store, without a DOM: what the teacher does becomes steps,
// choosing a packet's ends is one step, and what no step can do is said and left out.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, loadIo } from './store.ts';
import { createRecorder } from './recorder.ts';
import { createLessons } from './lessons.ts';
import { readLesson, recordedLessonFile } from '../sim/lesson/index.ts';

describe('recording a lesson in the playground', () => {
  beforeAll(() => loadIo());

  it('each thing the teacher does is a step: packets (with the question when Predict is on), a CNI switch, edits', () => {
    const pg = createPlayground();
    const rec = createRecorder(pg);
    expect(rec.getState().start()).toBe(true);
    const start = pg.getState().scenario;
    const a = pg.getState();
    a.send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-1', port: 8080 }, proto: 'tcp' });
    // Choosing the other end straight after replaces the packet: one step.
    pg.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, 1);
    expect(rec.getState().recording?.steps).toHaveLength(1);
    pg.getState().setStep(3); // played: the next packet is a step of its own
    pg.getState().setCluster({ cni: 'flannel-vxlan' });
    pg.getState().addPod('node-2', { name: 'api', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    pg.getState().setPredict({ parts: ['answer', 'verdict'] });
    pg.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'api', port: 80 }, proto: 'tcp' });
    pg.getState().setLabels('pod', 'default/client', { app: 'shell', tier: 'x' });
    expect(pg.getState().notice?.text).toContain('new labels on pod default/client is not something a lesson step can do yet');
    const steps = rec.getState().recording!.steps;
    expect(steps.map((s) => [s.packet ? 'packet' : '', s.cni ?? '', s.edits.map((e) => e.kind).join(), s.question ? 'question' : ''].filter(Boolean).join(' '))).toEqual([
      'packet',
      'flannel-vxlan',
      'addPod',
      'packet question',
    ]);
    expect(steps[0].packet).toEqual({ request: { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, endpoint: 1, reply: false });
    const draft = rec.getState().stop();
    expect(rec.getState().recording).toBeNull();
    expect(draft?.scenario).toBe(start);
    const file = recordedLessonFile(draft!);
    if (!file.ok) throw new Error(JSON.stringify(file.issues));
    const back = readLesson(file.text, 'podpath-lesson.yaml');
    expect(back.ok && back.value.steps.map(({ expect: _e, ...s }) => s)).toEqual(steps);
    expect(file.lesson.steps[3].trace?.verdict).toBe('delivered');
  });

  it('nothing recorded gives no file; a lesson being played is not recorded, and recording does not start in one', async () => {
    const pg = createPlayground();
    const rec = createRecorder(pg);
    rec.getState().start();
    expect(rec.getState().stop()).toBeNull();
    const lessons = createLessons(pg);
    rec.getState().start();
    const draft = recordedLessonFile({ name: 'l', title: 'L', scenario: pg.getState().scenario, steps: [{ say: 'x', highlight: [], edits: [], cni: 'vpc' }] });
    if (!draft.ok) throw new Error('expected a lesson');
    await lessons.getState().start(draft.lesson);
    expect(rec.getState().recording?.steps).toEqual([]);
    lessons.getState().leave();
    expect(rec.getState().recording?.steps).toEqual([]);
    rec.getState().stop();
    await lessons.getState().start(draft.lesson);
    expect(rec.getState().start()).toBe(false);
  });
});
