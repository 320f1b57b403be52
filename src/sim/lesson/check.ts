// Holding a lesson to its cluster, step by step: each step's CNI switch and edits are
// made with the engine's own edit functions on the cluster as the steps before left
// it; then what it highlights must exist, its packet must trace, and what it says the
// trace shows (expect) must be what the engine's trace shows. The result carries the
// cluster of every step, so the player can open any step as it is, and go back.
import { fail, formatIssue, type PodpathIssue, type PodpathWarning, type Result } from '../errors.ts';
import { addressInUseText, portsInPodNetns } from '../addressInUse.ts';
import { loadScenario } from '../index.ts';
import { objectKey, type Scenario } from '../model.ts';
import { compile } from '../dataplane/compile.ts';
import { trace } from '../trace/index.ts';
import * as edit from '../edit.ts';
import { crosses, hopAt, walkFacts } from './facts.ts';
import { issueAt, refText, type Path } from './read.ts';
import { deletePod, scaleDeployment, type Changed } from './workload.ts';
import type { Lesson, LessonEdit, LessonIssue, LessonRef, LessonSource, LessonStep, LessonStepSource } from './types.ts';

export type CheckedLesson = { ok: true; value: Lesson } | { ok: false; issues: LessonIssue[] };

const reasons = (issues: PodpathIssue[]) => issues.map(formatIssue).join('; ');

/** Apply one edit with the engine's edit functions; say what it did from the result. */
export function applyEdit(s: Scenario, e: LessonEdit): Result<Changed> {
  const wrap = (r: Result<Scenario>, said: (after: Scenario) => string[]): Result<Changed> => (r.ok ? { ok: true, value: { scenario: r.value, changes: said(r.value) }, warnings: r.warnings } : r);
  const podAt = (after: Scenario, key: string) => after.pods.find((p) => objectKey(p) === key);
  switch (e.kind) {
    case 'delete': {
      const t = e.target;
      if (t.kind === 'pod') return deletePod(s, objectKey(t));
      if (t.kind === 'service') return wrap(edit.remove(s, 'service', objectKey(t)), () => [`deleted Service ${objectKey(t)}`]);
      const gone = s.pods.filter((p) => p.nodeName === t.name).map(objectKey);
      return wrap(edit.remove(s, 'node', t.name), () => [`deleted node ${t.name}${gone.length ? ` and the pods on it (${gone.join(', ')})` : ''}`]);
    }
    case 'addPod': {
      const key = `${e.namespace}/${e.name}`;
      // Containers share the pod's netns: a port two of them declare is bound by one socket (addressInUse.ts).
      const inNetns = e.containers ? portsInPodNetns(`Pod/${key}`, e.containers) : { ports: e.ports ?? [], clashes: [] };
      const r = wrap(edit.addPod(s, e.node, { name: e.name, namespace: e.namespace, labels: e.labels ?? { app: e.name }, ports: inNetns.ports }), (after) => [
        `added pod ${key} on ${e.node} (${podAt(after, key)?.podIP})`,
      ]);
      if (!r.ok || !inNetns.clashes.length) return r;
      const warnings = inNetns.clashes.map((c): PodpathWarning => ({ code: c.code, message: addressInUseText(c) }));
      return { ...r, value: { ...r.value, warnings } };
    }
    case 'hostPort': {
      const key = objectKey(e.pod);
      const pod = s.pods.find((p) => objectKey(p) === key);
      if (!pod) return fail([{ document: `Pod/${key}`, field: 'metadata.name', reason: `there is no pod named ${key}` }]);
      const i = pod.ports.findIndex((p) => p.containerPort === e.containerPort && p.protocol === e.protocol);
      if (i < 0) {
        const has = pod.ports.map((p) => `${p.containerPort}/${p.protocol}`).join(', ') || 'none';
        return fail([{ document: `Pod/${key}`, field: 'spec.containers[0].ports', reason: `has no containerPort ${e.containerPort}/${e.protocol} to publish on a hostPort (its ports: ${has})` }]);
      }
      const ports = pod.ports.map((p, j) => (j === i ? { ...p, hostPort: e.hostPort } : p));
      return wrap(edit.setPodPorts(s, key, ports), (after) => {
        const node = after.nodes.find((n) => n.name === pod.nodeName);
        return [`pod ${key}'s port ${e.containerPort}/${e.protocol} is now hostPort ${e.hostPort} on ${pod.nodeName} (${node?.internalIP})`];
      });
    }
    case 'scale':
      return scaleDeployment(s, e.deployment, e.replicas);
    case 'move': {
      const key = objectKey(e.pod);
      return wrap(edit.movePod(s, key, e.node), (after) => [`moved pod ${key} to ${e.node}: a new pod there, with the address ${podAt(after, key)?.podIP}`]);
    }
  }
}

/** Why a ref does not exist in this cluster, or undefined when it does. */
function refProblem(s: Scenario, r: LessonRef): string | undefined {
  const names = (list: string[]) => list.join(', ') || 'none';
  switch (r.kind) {
    case 'pod':
      return s.pods.some((p) => p.namespace === r.namespace && p.name === r.name) ? undefined : `there is no pod ${r.namespace}/${r.name} at this step (pods: ${names(s.pods.map(objectKey))})`;
    case 'service':
      return s.services.some((v) => v.namespace === r.namespace && v.name === r.name) ? undefined : `there is no Service ${r.namespace}/${r.name} at this step (Services: ${names(s.services.map(objectKey))})`;
    case 'deployment':
      return s.pods.some((p) => p.namespace === r.namespace && p.ownerKind === 'Deployment' && p.ownerName === r.name) ? undefined : `there is no Deployment ${r.namespace}/${r.name} with pods at this step`;
    case 'node':
      return s.nodes.some((n) => n.name === r.name) ? undefined : `there is no node ${r.name} at this step (nodes: ${names(s.nodes.map((n) => n.name))})`;
    case 'device': {
      if (!s.nodes.some((n) => n.name === r.node)) return `there is no node ${r.node} at this step (nodes: ${names(s.nodes.map((n) => n.name))})`;
      const devices = compile(s).netns(r.node)?.devices.map((d) => d.name) ?? [];
      return devices.includes(r.device) ? undefined : `node ${r.node} has no device ${r.device} at this step (it has ${names(devices)})`;
    }
    default:
      return undefined;
  }
}

const REQUEST_FIELDS: Record<string, string> = { '--from': 'from', '--to': 'to', '--endpoint': 'endpoint' };

function checkStep(src: LessonSource, at: number, step: LessonStepSource, before: Scenario, issues: LessonIssue[]): LessonStep {
  const here = (...rest: Path): Path => ['spec', 'steps', at, ...rest];
  const problem = (path: Path, reason: string) => issues.push(issueAt(src.source, path, reason, src.lineOf));
  let s = before;
  const changes: string[] = [];
  let refusal: string | undefined;
  const warnings: PodpathWarning[] = [];
  const expect = step.expect ?? {};

  if (step.cni && step.cni !== s.cluster.cni) {
    const r = edit.setCluster(s, { cni: step.cni });
    if (!r.ok) problem(here('cni'), `the engine refuses to switch to ${step.cni}: ${reasons(r.issues)}`);
    else {
      const moved = r.value.pods.filter((p) => s.pods.find((q) => objectKey(q) === objectKey(p))?.podIP !== p.podIP);
      changes.push(`the CNI is now ${step.cni}`);
      if (moved.length) changes.push(`the pods were made anew with addresses from ${step.cni}'s plan: ${moved.map((p) => `${p.name} ${p.podIP}`).join(', ')}`);
      s = r.value;
    }
  }
  step.edits.forEach((e, j) => {
    if (refusal !== undefined) return;
    const path = here(...(step.edits.length > 1 ? ['edit', j] : ['edit']));
    const r = applyEdit(s, e);
    if (r.ok) {
      s = r.value.scenario;
      changes.push(...r.value.changes);
      warnings.push(...(r.value.warnings ?? []));
      if (expect.refused !== undefined && j === step.edits.length - 1) problem(here('expect', 'refused'), `the lesson says this step's edit is refused, but the engine makes it`);
      return;
    }
    refusal = reasons(r.issues);
    if (expect.refused === undefined) problem(path, `the engine refuses this edit: ${refusal}`);
    else if (!refusal.includes(expect.refused)) problem(here('expect', 'refused'), `the edit is refused, but the engine's reason does not say "${expect.refused}": ${refusal}`);
  });

  step.highlight.forEach((ref, j) => {
    const why = refProblem(s, ref);
    if (why) problem(here('highlight', j), `${refText(ref)}: ${why}`);
  });

  (expect.warns ?? []).forEach((code, j) => {
    if (!warnings.some((w) => w.code === code)) problem(here('expect', 'warns', j), `the lesson says the engine warns of ${code} at this step, but it does not${warnings.length ? ` (it warns of ${warnings.map((w) => w.code).join(', ')})` : ''}`);
  });
  const out: LessonStep = { ...step, scenario: s, changes, warnings, ...(refusal !== undefined ? { refusal } : {}) };
  if (!step.packet) return out;
  const r = trace(compile(s), step.packet.request, { endpointIndex: step.packet.endpoint });
  if (!r.ok) {
    for (const i of r.issues) problem(here('packet', REQUEST_FIELDS[i.field] ?? 'to'), `the packet does not trace at this step: ${i.reason}`);
    return out;
  }
  const t = r.value;
  out.trace = t;
  const facts = walkFacts(t);
  const says = (field: string, lesson: unknown, engine: unknown, why = '') =>
    problem(here('expect', field), `the lesson says ${JSON.stringify(lesson)}, the engine's trace shows ${JSON.stringify(engine)}${why ? ` (${why})` : ''}`);
  if (expect.verdict !== undefined && expect.verdict !== facts.verdict) says('verdict', expect.verdict, facts.verdict, t.reason);
  if (expect.answeredBy !== undefined && expect.answeredBy !== facts.answeredBy) says('answeredBy', expect.answeredBy ?? 'none', facts.answeredBy ?? 'none');
  if (expect.sourceSeen !== undefined && expect.sourceSeen !== facts.sourceSeen) says('sourceSeen', expect.sourceSeen ?? 'none', facts.sourceSeen ?? 'none');
  if (typeof expect.candidates === 'number' && expect.candidates !== t.candidates.length) says('candidates', expect.candidates, t.candidates.length, t.candidates.join(', '));
  if (Array.isArray(expect.candidates) && [...expect.candidates].sort().join() !== [...t.candidates].sort().join()) says('candidates', expect.candidates, t.candidates);
  const all = [...t.hops, ...t.reply];
  (expect.mentions ?? []).forEach((text, j) => {
    if (!all.some((h) => h.why.includes(text))) problem(here('expect', 'mentions', j), `no hop of the engine's trace (request or reply) says "${text}"`);
  });
  (expect.crosses ?? []).forEach((place, j) => {
    if (!crosses(t, place)) problem(here('expect', 'crosses', j), `the engine's request does not cross ${place} (it goes through ${[...new Set(t.hops.map((h) => `${h.netns}/${h.device}`))].join(', ')})`);
  });
  (expect.avoids ?? []).forEach((place, j) => {
    const i = t.hops.findIndex((h) => hopAt(h, place));
    if (i >= 0) problem(here('expect', 'avoids', j), `the engine's request crosses ${place} at hop ${i + 1}: ${t.hops[i].why}`);
  });
  return out;
}

/**
 * Check a lesson against its scenario. `scenarioText` is the text of the file the
 * lesson names (undefined when that file was not found); an inline scenario needs none.
 */
export function checkLesson(src: LessonSource, scenarioText?: string): CheckedLesson {
  const issues: LessonIssue[] = [];
  const sc = src.scenario;
  const text = sc.kind === 'inline' ? sc.text : scenarioText;
  if (text === undefined) {
    return { ok: false, issues: [issueAt(src.source, ['spec', 'scenario'], `public/scenarios/${sc.kind === 'file' ? sc.file : ''} was not found`, src.lineOf)] };
  }
  const loaded = loadScenario(text, sc.kind === 'file' ? sc.file : `${src.source} spec.scenario`);
  if (!loaded.ok) {
    return { ok: false, issues: [issueAt(src.source, ['spec', 'scenario'], `the scenario does not load: ${reasons(loaded.issues)}`, src.lineOf)] };
  }
  let s = loaded.value;
  const steps: LessonStep[] = [];
  src.steps.forEach((step, i) => {
    const checked = checkStep(src, i, step, s, issues);
    steps.push(checked);
    s = checked.scenario;
  });
  if (issues.length) return { ok: false, issues };
  return { ok: true, value: { source: src.source, name: src.name, title: src.title, ...(src.summary ? { summary: src.summary } : {}), scenario: loaded.value, steps } };
}

/** A lesson issue as one line: `FILE step N, FIELD: reason (line L)`. */
export function formatLessonIssue(i: LessonIssue): string {
  const field = i.field.replace(/^spec\.steps\[\d+\]\.?/, '');
  const reason = i.step !== undefined ? i.reason.replace(/^step \d+: /, '') : i.reason;
  const where = i.step !== undefined ? ` step ${i.step}${field ? `, ${field}` : ''}` : i.field ? ` ${i.field}` : '';
  return `${i.document}${where}: ${reason}${i.line !== undefined ? ` (line ${i.line})` : ''}`;
}
