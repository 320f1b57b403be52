// The hostile inputs issue 10's mutation fuzzing found (each crashed or hung podpath
// once), as small files, with the typed code each must now be refused with. Shared
// by the engine's, the CLI's and the store's regression tests and the fuzz test.
import type { PodpathIssue } from '../errors.ts';

export interface HostileInput {
  /** What it is, for a test's name. */
  name: string;
  text: string;
  /** The code of the (first) issue it is refused with. */
  code: NonNullable<PodpathIssue['code']>;
}

const deployment = (replicas: string, template = '{metadata: {labels: {app: web}}, spec: {containers: [{name: a, ports: [{containerPort: 80}]}]}}') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: ${replicas}\n  template: ${template}\n`;

/** A billion-laughs file: each level repeats the one before nine times. */
export function aliasBomb(levels = 9): string {
  const lines = ['  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${lines.join('\n')}\n`;
}

/** A pod template nested `depth` lists deep, in YAML flow style. */
export const deepFlowYaml = (depth: number) => deployment('1', `{spec: {x: ${'['.repeat(depth)}${']'.repeat(depth)}}}`);

/** A pod template nested `depth` maps deep, in YAML block style (one more space per level). */
export function deepBlockYaml(depth: number): string {
  let text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n';
  for (let i = 0; i < depth; i++) text += `${' '.repeat(i + 4)}x:\n`;
  return `${text}${' '.repeat(depth + 4)}y: 1\n`;
}

/** The same in JSON, which JSON.parse reads without recursion (the walks after it did not). */
export const deepJson = (depth: number) =>
  `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"template":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}}`;

/** Lists inside Lists (flattenLists recursed into each). */
export const nestedLists = (depth: number) => `${'{"kind":"List","items":['.repeat(depth)}${']}'.repeat(depth)}`;

export const HOSTILE_INPUTS: HostileInput[] = [
  // A one-character typo: *28Mi for 28Mi (the yaml library threw a ReferenceError).
  { name: 'an unresolved alias (*28Mi for 28Mi)', text: deployment('2', '{spec: {containers: [{name: a, resources: {limits: {memory: *28Mi}}}]}}'), code: 'yaml-alias-unresolved' },
  { name: 'an alias inside its own anchor', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: &d {self: *d}\n', code: 'yaml-alias-circular' },
  { name: 'an alias bomb (billion laughs)', text: aliasBomb(), code: 'yaml-alias-limit' },
  { name: '5,000 nested lists in YAML flow style', text: deepFlowYaml(5000), code: 'nested-too-deep' },
  { name: '5,000 nested maps in YAML block style', text: deepBlockYaml(5000), code: 'nested-too-deep' },
  // JSON.stringify in the pod-template hash overflowed the stack.
  { name: "5,000 nested lists in a Deployment's JSON template", text: deepJson(5000), code: 'nested-too-deep' },
  { name: '5,000 nested Lists (flattenLists)', text: nestedLists(5000), code: 'nested-too-deep' },
  // More than the 89,684 suffixes the old name generator could make: it looped forever.
  { name: '100,000 Deployment replicas on three nodes', text: deployment('100000'), code: 'pods-do-not-fit' },
  // One issue per pod that did not fit, then issues.push(...130,000 issues): a stack overflow.
  { name: '130,000 replicas that cannot be placed', text: deployment('130000'), code: 'pods-do-not-fit' },
  // Ten million pod objects: out of heap.
  { name: '10,000,000 replicas', text: deployment('10000000'), code: 'too-many-pods' },
  { name: 'replicas: .inf', text: deployment('.inf'), code: 'not-finite-number' },
  { name: 'replicas: .nan', text: deployment('.nan'), code: 'not-finite-number' },
  { name: 'replicas: 1e400', text: deployment('1e400'), code: 'not-finite-number' },
  { name: 'replicas: 1e400 in JSON', text: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1e400}}', code: 'not-finite-number' },
  { name: 'an empty file', text: '', code: 'no-documents' },
  { name: 'only comments and ---', text: '# nothing here\n\n---\n# nor here\n---\n', code: 'no-documents' },
  { name: 'an empty JSON list', text: '[]', code: 'no-documents' },
];
