// Issue 10 §2: every input that once crashed or hung the reader is refused with its
// typed code and a sentence a person can act on, fast, and nothing else.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../index.ts';
import { formatIssue } from '../errors.ts';
import { HOSTILE_INPUTS, deepBlockYaml, deepFlowYaml, deepJson } from '../testing/hostile.ts';
import { cluster, issuesOf, load, node, pod } from '../testing/helpers.ts';
import { MAX_NESTING, MAX_PODS, nestingDepth } from './limits.ts';
import { SUFFIX_SPACE, expandWorkload, replicaSetPodName } from './workloads.ts';

describe('hostile input: a typed error, never a crash or a hang', () => {
  for (const h of HOSTILE_INPUTS) {
    // The replica counts make their pods before refusing them (seconds on a shared CI core).
    it(`${h.name}: refused with ${h.code}, without hanging`, { timeout: 60_000 }, () => {
      const started = performance.now();
      const r = loadScenario(h.text, 'hostile.yaml');
      expect(performance.now() - started).toBeLessThan(45_000);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issues[0].code).toBe(h.code);
      // One sentence, not one per pod.
      expect(r.issues.length).toBeLessThanOrEqual(3);
    });
  }

  it("a kind named like a property every JavaScript object has (constructor, __proto__, toString) is a kind podpath skips, with the warning, not a crash", () => {
    for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const r = loadScenario(`${cluster('flannel-vxlan')}${node('n1')}---\napiVersion: v1\nkind: ${kind}\nmetadata: {name: x}\nspec: {template: {spec: {}}}\n`, 'f.yaml');
      expect(r.ok).toBe(true);
      expect(r.warnings.find((w) => String(w).startsWith('skipped kinds podpath does not model'))).toContain(kind);
    }
  });

  it('an unresolved alias names the alias, its line and column, and says how to write a literal *', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources: {limits: {memory: *28Mi}}\n';
    expect(issuesOf(text)).toEqual([
      {
        code: 'yaml-alias-unresolved',
        alias: '28Mi',
        document: 'test.yaml',
        field: '',
        line: 7,
        column: 34,
        reason: 'YAML alias *28Mi refers to no anchor &28Mi before it (an alias repeats an anchored value; to write a value starting with *, quote it)',
      },
    ]);
  });
  it('an alias with its anchor before it still reads (real files use them)', () => {
    // Anchors hold within one document (a List here), as YAML says.
    const text = `${cluster('flannel-vxlan')}${node('n1')}---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p, labels: &l {app: web}}, spec: {nodeName: n1, containers: [{name: a}]}}\n- {apiVersion: v1, kind: Service, metadata: {name: s}, spec: {selector: *l, ports: [{port: 80}]}}\n`;
    expect(load(text).services.find((v) => v.name === 's')?.selector).toEqual({ app: 'web' });
  });
  it('an alias bomb is refused by the number of copies it would make', () => {
    const [issue] = issuesOf(HOSTILE_INPUTS.find((h) => h.code === 'yaml-alias-limit')!.text);
    expect(issue).toMatchObject({ code: 'yaml-alias-limit', limit: 1000, line: 1 });
    expect(issue.reason).toBe('its YAML aliases expand to more than 1000 copies, which podpath refuses (a file that grows this way is an attack on the reader, not a cluster)');
  });

  it(`nesting: ${MAX_NESTING} levels read, one more is refused with the limit, in YAML (flow and block) and JSON`, () => {
    // The Deployment, spec, template (and in YAML the template's spec) are the first levels; the lists make up the rest.
    expect(loadScenario(deepFlowYaml(MAX_NESTING - 4), 'f').ok).toBe(true);
    expect(loadScenario(deepJson(MAX_NESTING - 3), 'f').ok).toBe(true);
    for (const text of [deepFlowYaml(MAX_NESTING - 3), deepJson(MAX_NESTING - 2), deepBlockYaml(MAX_NESTING)]) {
      const [issue] = issuesOf(text);
      expect(issue).toMatchObject({ code: 'nested-too-deep', limit: MAX_NESTING, document: 'test.yaml' });
      expect(formatIssue(issue)).toMatch(/^test\.yaml: maps and lists are nested deeper than 256 levels, which podpath does not read/);
    }
  });
  it('nesting through aliases (each repeating the one before) is measured on the value, not the text', () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a0: &a0 [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n';
    for (let i = 1; i < 10; i++) text += `  a${i}: &a${i} [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a${i - 1}]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n`;
    expect(issuesOf(text)[0]).toMatchObject({ code: 'nested-too-deep' });
  });
  it('nestingDepth counts without recursion and stops at the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestingDepth(deep, 300)).toBe(301);
    expect(nestingDepth({ a: [1, { b: 2 }] })).toBe(3);
  });

  it('.inf, .nan and 1e400 are said as what they are, never "got null"', () => {
    const deployment = (field: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {${field}, template: {spec: {containers: [{name: a, ports: [{containerPort: 80}]}]}}}\n`;
    expect(issuesOf(deployment('replicas: .inf'))[0]).toMatchObject({ code: 'not-finite-number', field: 'spec.replicas', reason: 'must be a whole number ≥ 0, got infinity (.inf, or a number too large to hold, such as 1e400)' });
    expect(issuesOf(deployment('replicas: -.inf'))[0].reason).toBe('must be a whole number ≥ 0, got minus infinity (-.inf, or a number too large to hold, such as -1e400)');
    expect(issuesOf(deployment('replicas: .nan'))[0].reason).toBe('must be a whole number ≥ 0, got .nan (not a number)');
    const port = issuesOf(pod('p', undefined, {}, [{ containerPort: 1e400 }]).replace('1e+400', '1e400').replace('null', '1e400'))[0];
    expect(port).toMatchObject({ code: 'not-finite-number', field: 'spec.containers[0].ports[0].containerPort' });
    expect(port.reason).toMatch(/^must be a port number 1-65535, got infinity/);
    const nodePort = `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: [{port: 80, nodePort: .nan}]}\n`;
    expect(issuesOf(nodePort)[0]).toMatchObject({ code: 'not-finite-number', field: 'spec.ports[0].nodePort', reason: 'must be a NodePort number 30000-32767, got .nan (not a number)' });
    const mask = cluster('flannel-vxlan').replace('"nodeCIDRMaskSize":24', '"nodeCIDRMaskSize":1e400');
    expect(issuesOf(mask)[0]).toMatchObject({ code: 'not-finite-number', field: 'spec.nodeCIDRMaskSize' });
    for (const i of [...issuesOf(deployment('replicas: .inf')), ...issuesOf(nodePort), ...issuesOf(mask)]) expect(i.reason).not.toContain('null');
  });

  it('an empty file, or one of only comments and ---, holds no documents', () => {
    for (const text of ['', '   \n\n', '# a comment\n', '---\n---\n', '[]']) {
      expect(issuesOf(text)).toEqual([{ code: 'no-documents', document: 'test.yaml', field: '', reason: 'the file holds no documents (it is empty, or only comments or ---)' }]);
    }
  });
});

describe('pods from workloads: deterministic, unique, and refused in one sentence when they cannot be held', () => {
  it(`more replicas than the ~90,000 first-choice suffixes: every name unique, each <rs>-<5 of the 27 safe characters>`, { timeout: 60_000 }, () => {
    const taken = new Set<string>();
    for (let i = 0; i < 100_000; i++) taken.add(replicaSetPodName('default', 'web', '45g782kmm6', i, taken));
    expect(taken.size).toBe(100_000);
    for (const name of [...taken].slice(-1000)) expect(name).toMatch(/^web-45g782kmm6-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    // The same file gives the same names.
    const again = new Set<string>();
    for (let i = 0; i < 100_000; i++) again.add(replicaSetPodName('default', 'web', '45g782kmm6', i, again));
    expect([...again]).toEqual([...taken]);
    expect(SUFFIX_SPACE).toBe(27 ** 5);
  });
  it('a DaemonSet on 5,000 nodes gives each node its own pod name (the first-choice suffixes collide there)', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => ({ name: `node-${i}`, labels: {} }));
    const pods = expandWorkload({ kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-flannel-ds', replicas: 1, labels: {}, ports: [], template: {} }, nodes);
    expect(new Set(pods.map((p) => p.name)).size).toBe(5000);
    expect(pods.map((p) => p.nodeName)).toEqual(nodes.map((n) => n.name));
  });
  it(`more than ${MAX_PODS.toLocaleString('en-US')} pods: one issue naming the workload, before any pod is made`, () => {
    const text = `${cluster('flannel-vxlan')}${node('n1')}${pod('a', 'n1', {})}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 10000000}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {replicas: 3}\n`;
    const started = performance.now();
    const issues = issuesOf(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(issues).toEqual([
      {
        code: 'too-many-pods',
        limit: MAX_PODS,
        requested: 10_000_004,
        document: 'Deployment/default/web',
        field: 'spec.replicas',
        reason: 'the file asks for 10,000,004 pods (Deployment default/web alone 10,000,000); podpath holds at most 250,000 pods in one cluster',
      },
    ]);
  });
  it('pods that cannot all get an address: one issue with what is needed and what is free, not one per pod', { timeout: 60_000 }, () => {
    const text = `${cluster('flannel-vxlan')}${node('n1')}${node('n2')}${pod('a', 'n1', {})}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 130000}\n`;
    expect(issuesOf(text)).toEqual([
      {
        code: 'pods-do-not-fit',
        needed: 130_001,
        free: 506,
        document: 'Cluster',
        field: '',
        reason: '130,001 pods need an address, but the podCIDRs of the 2 nodes have 506 addresses free (a /24 per node): add nodes, give every node a larger block (a smaller nodeCIDRMaskSize), or ask for fewer pods',
      },
    ]);
    const vpc = `${cluster('vpc')}${node('n1')}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 500}\n`;
    expect(issuesOf(vpc)[0]).toMatchObject({ code: 'pods-do-not-fit', needed: 500, free: 243 });
  });
  it('a few pods that do not fit are each named, as before; many are named up to ten, then counted', () => {
    const few = `${cluster('flannel-vxlan', { nodeCIDRMaskSize: 30 })}${node('n1')}${pod('a', 'n1', {})}${pod('b', 'n1', {})}`;
    expect(issuesOf(few).map((i) => i.reason)).toEqual(["node n1's podCIDR 10.244.0.0/30 is full: pod default/b did not fit"]);
    let many = `${cluster('flannel-vxlan')}${node('n1')}`;
    for (let i = 0; i < 40; i++) many += pod(`p${i}`, 'n9', {});
    const issues = issuesOf(many);
    expect(issues).toHaveLength(11);
    expect(issues[0].reason).toBe('node "n9" does not exist (nodes: n1)');
    expect(issues[10]).toEqual({ document: 'Cluster', field: '', reason: 'and 30 more pods cannot be placed, for reasons like those above' });
  });
});
