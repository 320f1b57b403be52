// The lesson writer against the lesson reader: what write.ts writes, read.ts and
// check.ts read back as the same steps, for every built-in lesson and for a recording.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { loadLesson, readLesson, type LessonSource, type LessonStepSource } from './index.ts';
import { changesBetween } from './record.ts';
import { applyEdit } from './check.ts';
import { deletePod, scaleDeployment } from './workload.ts';
import { destinationText, PLACEHOLDER_SAY, recordedLessonFile, sourceText, writeLesson } from './write.ts';
import { parseDestination, parseSource } from '../trace/index.ts';
import * as edit from '../edit.ts';
import { loadScenario } from '../index.ts';
import type { Scenario } from '../model.ts';

const pub = (p: string) => new URL(`../../../public/${p}`, import.meta.url);
const INDEX = (JSON.parse(readFileSync(pub('lessons/index.json'), 'utf8')) as { lessons: string[] }).lessons;
const scenarioFile = (name: string) => (existsSync(pub(`scenarios/${name}`)) ? readFileSync(pub(`scenarios/${name}`), 'utf8') : undefined);
const stepsOf = (s: LessonSource) => s.steps;
const must = <T>(r: { ok: true; value: T } | { ok: false; issues: unknown[] }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 1));
  return r.value;
};

describe('writing a lesson file', () => {
  it('packet ends are written as podpath trace spells them, and read back the same', () => {
    for (const text of ['pod/default/client', 'deployment/shop/web', 'node/node-2', 'external']) expect(sourceText(must(parseSource(text)))).toBe(text);
    for (const text of ['pod/default/web-1:8080', 'service/kube-system/dns:53', 'node/node-1:30080', '10.244.1.2:80']) expect(destinationText(must(parseDestination(text)))).toBe(text);
  });

  for (const file of INDEX) {
    it(`${file}: written out (its cluster embedded) and read back, the same steps, and it still checks against the engine`, () => {
      const text = readFileSync(pub(`lessons/${file}`), 'utf8');
      const source = must(readLesson(text, file));
      const lesson = must(loadLesson(text, file, scenarioFile));
      const written = writeLesson({ name: source.name, title: source.title, summary: source.summary, scenario: lesson.scenario, steps: source.steps });
      const back = must(readLesson(written, 'written.yaml'));
      expect(back.scenario.kind).toBe('inline');
      expect(stepsOf(back)).toEqual(stepsOf(source));
      expect(back.title).toBe(source.title);
      const checked = must(loadLesson(written, 'written.yaml', () => undefined));
      expect(checked.steps.map((s) => s.trace?.reason)).toEqual(lesson.steps.map((s) => s.trace?.reason));
    });
  }
});

describe('recording', () => {
  const demo: Scenario = must(loadScenario(scenarioFile('demo.yaml')!, 'demo.yaml'));

  it('reads the playground edits a lesson step can make, and says what it cannot', () => {
    const flannel = must(edit.setCluster(demo, { cni: 'flannel-vxlan' }));
    expect(changesBetween(demo, flannel)).toEqual({ cni: 'flannel-vxlan', edits: [], unrecorded: [] });
    const added = must(edit.addPod(demo, 'node-2', { name: 'api', ports: [{ containerPort: 80, protocol: 'TCP' }] }));
    expect(changesBetween(demo, added).edits).toEqual([{ kind: 'addPod', namespace: 'default', name: 'api', node: 'node-2', labels: { app: 'api' }, ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
    const moved = must(edit.movePod(demo, 'default/web-1', 'node-2'));
    expect(changesBetween(demo, moved).edits).toEqual([{ kind: 'move', pod: { namespace: 'default', name: 'web-1' }, node: 'node-2' }]);
    const published = must(edit.setPodPorts(demo, 'default/web-1', [{ name: 'http', containerPort: 8080, protocol: 'TCP', hostPort: 8080 }]));
    expect(changesBetween(demo, published).edits).toEqual([{ kind: 'hostPort', pod: { namespace: 'default', name: 'web-1' }, containerPort: 8080, protocol: 'TCP', hostPort: 8080 }]);
    const noNode = must(edit.remove(demo, 'node', 'node-2'));
    expect(changesBetween(demo, noNode).edits).toEqual([{ kind: 'delete', target: { kind: 'node', name: 'node-2' } }]);
    const noSvc = must(edit.remove(demo, 'service', 'default/web'));
    expect(changesBetween(demo, noSvc).edits).toEqual([{ kind: 'delete', target: { kind: 'service', namespace: 'default', name: 'web' } }]);
    const relabelled = must(edit.setLabels(demo, 'pod', 'default/client', { app: 'shell' }));
    expect(changesBetween(demo, relabelled)).toEqual({ edits: [], unrecorded: [{ code: 'not-a-lesson-step', what: 'new labels on pod default/client' }] });
    const withService = must(edit.addService(demo, { name: 'api' }));
    expect(changesBetween(demo, withService)).toEqual({ edits: [], unrecorded: [{ code: 'not-a-lesson-step', what: 'adding Service default/api' }] });
  });

  it("a Deployment scaled, or one of its pods deleted and replaced, is recorded as the lesson's scale and delete, which replay it exactly", () => {
    const vxlan = must(loadScenario(scenarioFile('flannel-vxlan.yaml')!, 'flannel-vxlan.yaml'));
    const web = vxlan.pods.find((p) => p.ownerKind === 'Deployment')!;
    const d = { namespace: web.namespace, name: web.ownerName! };
    const count = vxlan.pods.filter((p) => p.ownerName === d.name).length;
    for (const replicas of [count + 2, 1]) {
      const scaled = must(scaleDeployment(vxlan, d, replicas)).scenario;
      const c = changesBetween(vxlan, scaled);
      expect(c).toEqual({ edits: [{ kind: 'scale', deployment: d, replicas }], unrecorded: [] });
      expect(must(applyEdit(vxlan, c.edits[0])).scenario.pods).toEqual(scaled.pods);
    }
    const replaced = must(deletePod(vxlan, `${web.namespace}/${web.name}`)).scenario;
    const c = changesBetween(vxlan, replaced);
    expect(c.edits).toEqual([{ kind: 'delete', target: { kind: 'pod', namespace: web.namespace, name: web.name } }]);
    expect(must(applyEdit(vxlan, c.edits[0])).scenario.pods).toEqual(replaced.pods);
  });

  it('record -> write -> read: the same steps, placeholder narration, and each packet held to what it showed', () => {
    const flannel = must(edit.setCluster(demo, { cni: 'flannel-vxlan' }));
    const added = must(edit.addPod(flannel, 'node-2', { name: 'api', ports: [{ containerPort: 80, protocol: 'TCP' }] }));
    const steps: LessonStepSource[] = [
      { say: PLACEHOLDER_SAY, highlight: [], edits: [], packet: { request: must(parseRequest('pod/default/client', 'service/default/web:80')), endpoint: 1, reply: true } },
      { say: PLACEHOLDER_SAY, highlight: [], edits: [], cni: 'flannel-vxlan' },
      { say: PLACEHOLDER_SAY, highlight: [], edits: changesBetween(flannel, added).edits },
      {
        say: PLACEHOLDER_SAY,
        highlight: [{ kind: 'pod', namespace: 'default', name: 'client' }, { kind: 'pod', namespace: 'default', name: 'api' }],
        edits: [],
        packet: { request: must(parseRequest('pod/default/client', 'pod/default/api:80')), endpoint: 0, reply: false },
        question: { ask: 'Before the packet moves: what will happen?', parts: ['answer', 'verdict'] },
      },
    ];
    const file = recordedLessonFile({ name: 'recorded-lesson', title: 'A recorded lesson', scenario: demo, steps });
    if (!file.ok) throw new Error(JSON.stringify(file.issues));
    expect(file.text.match(/say: Say what happens here\./g)).toHaveLength(4);
    const back = must(readLesson(file.text, 'podpath-lesson.yaml'));
    // The same steps, and each packet's step now says what its packet showed.
    expect(back.steps.map(({ expect: _e, ...rest }) => rest)).toEqual(steps);
    expect(back.steps[0].expect).toEqual({ verdict: 'delivered', answeredBy: 'default/web-2', sourceSeen: '10.244.0.2' });
    expect(back.steps[1].expect).toBeUndefined();
    expect(back.steps[3].expect).toMatchObject({ verdict: 'delivered', answeredBy: 'default/api' });
    expect(file.lesson.steps[3].trace?.hops.some((h) => h.action === 'encapsulate')).toBe(true);
    // It opens the cluster it was recorded on, addresses and all.
    expect(file.lesson.scenario.pods.map((p) => p.podIP)).toEqual(demo.pods.map((p) => p.podIP));
  });

  it('a recording the replay cannot make the same way still gives its file, with the problem named', () => {
    const steps: LessonStepSource[] = [{ say: PLACEHOLDER_SAY, highlight: [], edits: [{ kind: 'move', pod: { namespace: 'default', name: 'gone' }, node: 'node-2' }] }];
    const file = recordedLessonFile({ name: 'recorded-lesson', title: 'A recorded lesson', scenario: demo, steps });
    expect(file.ok).toBe(false);
    expect(file.text).toContain('move:');
    if (!file.ok) expect(file.issues[0]).toMatchObject({ step: 1, field: 'spec.steps[0].edit' });
  });
});

function parseRequest(from: string, to: string) {
  const f = parseSource(from);
  const t = parseDestination(to);
  return f.ok && t.ok ? { ok: true as const, value: { from: f.value, to: t.value, proto: 'tcp' as const } } : { ok: false as const, issues: [f, t] };
}
