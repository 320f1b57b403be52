// Writing a lesson file: the inverse of read.ts. "Record lesson" in the playground
// writes what the teacher did with this, and the file reads back through readLesson
// and checkLesson like any lesson a teacher writes by hand (write.test.ts holds the
// two to each other). The starting cluster is embedded (inline documents, with every
// address), so the lesson opens the cluster the teacher started from.
import { stringify } from 'yaml';
import type { Scenario } from '../model.ts';
import { PODPATH_API_VERSION } from '../scenario/parse.ts';
import { writeScenario } from '../scenario/write.ts';
import type { TraceDestination, TraceSource } from '../trace/types.ts';
import { readLesson, refText } from './read.ts';
import { checkLesson } from './check.ts';
import { walkFacts } from './facts.ts';
import type { ContainerPort } from '../model.ts';
import type { Lesson, LessonEdit, LessonExpect, LessonIssue, LessonStepSource } from './types.ts';

/** The narration a recorded step starts with, for the teacher to replace. */
export const PLACEHOLDER_SAY = 'Say what happens here.';

/** A lesson to write: its name, title, the cluster before the first step, and the steps. */
export interface LessonDraft {
  name: string;
  title: string;
  summary?: string;
  scenario: Scenario;
  steps: LessonStepSource[];
}

/** A packet's source as `podpath trace --from` and a lesson's `packet.from` spell it. */
export function sourceText(s: TraceSource): string {
  return s.kind === 'external' ? 'external' : s.kind === 'node' ? `node/${s.name}` : `${s.kind}/${s.namespace}/${s.name}`;
}

/** A packet's destination as `podpath trace --to` and a lesson's `packet.to` spell it. */
export function destinationText(d: TraceDestination): string {
  const target = d.kind === 'ip' ? d.ip : d.kind === 'node' ? `node/${d.name}` : `${d.kind}/${d.namespace}/${d.name}`;
  return `${target}:${d.port}`;
}

const portDoc = (p: ContainerPort) => ({ containerPort: p.containerPort, protocol: p.protocol, ...(p.hostPort ? { hostPort: p.hostPort } : {}), ...(p.name ? { name: p.name } : {}) });

function editDoc(e: LessonEdit): Record<string, unknown> {
  switch (e.kind) {
    case 'delete':
      return { delete: refText(e.target) };
    case 'addPod':
      return {
        addPod: {
          name: e.name,
          namespace: e.namespace,
          node: e.node,
          ...(e.labels ? { labels: e.labels } : {}),
          ...(e.containers ? { containers: e.containers.map((c) => ({ name: c.name, ports: c.ports.map(portDoc) })) } : { ports: (e.ports ?? []).map(portDoc) }),
        },
      };
    case 'hostPort':
      return { hostPort: { pod: refText({ kind: 'pod', ...e.pod }), containerPort: e.containerPort, protocol: e.protocol, hostPort: e.hostPort } };
    case 'scale':
      return { scale: { deployment: refText({ kind: 'deployment', ...e.deployment }), replicas: e.replicas } };
    case 'move':
      return { move: { pod: refText({ kind: 'pod', ...e.pod }), node: e.node } };
  }
}

function expectDoc(x: LessonExpect): Record<string, unknown> {
  const none = (v: string | null) => v ?? 'none';
  return {
    ...(x.verdict !== undefined ? { verdict: x.verdict } : {}),
    ...(x.answeredBy !== undefined ? { answeredBy: none(x.answeredBy) } : {}),
    ...(x.sourceSeen !== undefined ? { sourceSeen: none(x.sourceSeen) } : {}),
    ...(x.candidates !== undefined ? { candidates: x.candidates } : {}),
    ...(x.mentions?.length ? { mentions: x.mentions } : {}),
    ...(x.crosses?.length ? { crosses: x.crosses } : {}),
    ...(x.avoids?.length ? { avoids: x.avoids } : {}),
    ...(x.refused !== undefined ? { refused: x.refused } : {}),
    ...(x.warns?.length ? { warns: x.warns } : {}),
  };
}

function stepDoc(s: LessonStepSource): Record<string, unknown> {
  const p = s.packet;
  return {
    ...(s.title ? { title: s.title } : {}),
    say: s.say,
    ...(s.highlight.length ? { highlight: s.highlight.map(refText) } : {}),
    ...(s.cni ? { cni: s.cni } : {}),
    ...(s.edits.length === 1 ? { edit: editDoc(s.edits[0]) } : s.edits.length > 1 ? { edit: s.edits.map(editDoc) } : {}),
    ...(p ? { packet: { from: sourceText(p.request.from), to: destinationText(p.request.to), proto: p.request.proto, endpoint: p.endpoint, reply: p.reply } } : {}),
    ...(s.question ? { question: { ask: s.question.ask, predict: s.question.parts } } : {}),
    ...(s.expect && Object.keys(expectDoc(s.expect)).length ? { expect: expectDoc(s.expect) } : {}),
  };
}

/** The lesson as one podpath.dev/v1alpha1 Lesson document in YAML. */
export function writeLesson(d: LessonDraft): string {
  const doc = {
    apiVersion: PODPATH_API_VERSION,
    kind: 'Lesson',
    metadata: { name: d.name },
    spec: {
      title: d.title,
      ...(d.summary ? { summary: d.summary } : {}),
      // Inline: the lesson opens exactly the cluster it was recorded on, addresses and all.
      scenario: writeScenario(d.scenario),
      steps: d.steps.map(stepDoc),
    },
  };
  const header = `# A podpath lesson. Write each step's "say:" (what the class should see), then check it:\n#   npx podpath lesson FILE\n`;
  return header + stringify(doc, { lineWidth: 0, blockQuote: 'literal' });
}

/**
 * What each step's packet showed when it was recorded, as the step's `expect`: the
 * verdict, who answered and the source the receiver saw. The narration the teacher
 * then writes is held to it, so the lesson stops loading should the engine change.
 */
export function expectRecorded(lesson: Lesson): LessonStepSource[] {
  return lesson.steps.map((s) => {
    const source: LessonStepSource = {
      say: s.say,
      highlight: s.highlight,
      edits: s.edits,
      ...(s.title ? { title: s.title } : {}),
      ...(s.cni ? { cni: s.cni } : {}),
      ...(s.packet ? { packet: s.packet } : {}),
      ...(s.question ? { question: s.question } : {}),
    };
    const warns = s.warnings.map((w) => w.code).filter((c) => c === 'address-in-use');
    if (!s.trace) return warns.length ? { ...source, expect: { warns } } : source;
    const f = walkFacts(s.trace);
    return { ...source, expect: { ...s.expect, verdict: f.verdict, answeredBy: f.answeredBy, sourceSeen: f.sourceSeen, ...(warns.length ? { warns } : {}) } };
  });
}

/** A recorded lesson's file, and whether it reads back. */
export type RecordedLessonFile = { text: string; ok: true; lesson: Lesson } | { text: string; ok: false; issues: LessonIssue[] };

/**
 * Write a recorded lesson, read it back as any lesson file is read (readLesson, then
 * checkLesson on its embedded cluster), and write it again with what each packet
 * showed as its `expect`. Should it not read back (a change the replay does not make
 * the same way), the file is still given, with the problems: the teacher's work is
 * not lost, and they are told where it differs.
 */
export function recordedLessonFile(d: LessonDraft, source = `${d.name}.yaml`): RecordedLessonFile {
  const first = writeLesson(d);
  const read = readLesson(first, source);
  const checked = read.ok ? checkLesson(read.value) : read;
  if (!checked.ok) return { text: first, ok: false, issues: checked.issues };
  const text = writeLesson({ ...d, steps: expectRecorded(checked.value) });
  const again = readLesson(text, source);
  const final = again.ok ? checkLesson(again.value) : again;
  return final.ok ? { text, ok: true, lesson: final.value } : { text, ok: false, issues: final.issues };
}
