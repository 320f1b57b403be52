import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadScenario, loadScenarioFiles, parseScenario } from '../index.ts';
import { blankPodLogs, concatenatedJsonAsArray } from './dumpLayout.ts';
import { dumpDirectory, dumpLists, dumpStream, kubeadmFlannel } from '../testing/dumps.ts';
import { traceOf } from '../testing/helpers.ts';

const lists = dumpLists(kubeadmFlannel());
/** The directory's scenario files as the CLI or the playground hands them over (logs left out). */
const directoryFiles = Object.entries(dumpDirectory(lists))
  .filter(([path]) => path.endsWith('.json'))
  .map(([path, text]) => ({ name: `dump/${path}`, text }));

describe('kubectl cluster-info dump, written to stdout', () => {
  it('reads a dump copied out of a terminal, whose line wrapping put raw line breaks inside strings (JSON refuses them, YAML reads them)', () => {
    // A console wraps a long annotation value: the copied text has CR LF inside a JSON string.
    const wrapped = dumpStream(lists).replace('"node.alpha.kubernetes.io/ttl": "0"', '"node.alpha.kubernetes.io/ttl": "0\r\n"');
    expect(wrapped).not.toBe(dumpStream(lists));
    expect(() => JSON.parse(concatenatedJsonAsArray(blankPodLogs(wrapped))!)).toThrow(SyntaxError);
    const r = loadScenario(wrapped, 'dump.txt');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.pods.map((p) => `${p.namespace}/${p.name} ${p.podIP}`)).toEqual(['default/web-1 10.244.1.5', 'kube-system/coredns-7c65d6cfc9-x2bqf 10.244.0.2']);
  });
  it('reads the run of JSON values with the pods\' logs between them: kind-less items, addresses kept exactly', () => {
    const text = dumpStream(lists);
    // What kubectl writes: one value after another, not a JSON array, and log blocks between.
    expect(text.trimStart().startsWith('{')).toBe(true);
    expect(text).toContain('==== START logs for container main of pod default/web-1 ====');
    const r = loadScenario(text, 'dump.txt');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const s = r.value;
    expect(s.nodes.map((n) => [n.name, n.internalIP, n.podCIDR])).toEqual([
      ['cp-1', '192.168.122.10', '10.244.0.0/24'],
      ['worker-1', '192.168.122.11', '10.244.1.0/24'],
    ]);
    expect(s.pods.map((p) => [`${p.namespace}/${p.name}`, p.nodeName, p.podIP])).toEqual([
      ['default/web-1', 'worker-1', '10.244.1.5'],
      ['kube-system/coredns-7c65d6cfc9-x2bqf', 'cp-1', '10.244.0.2'],
    ]);
    expect(s.services.map((v) => [`${v.namespace}/${v.name}`, v.clusterIP])).toEqual([
      ['default/kubernetes', '10.96.0.1'],
      ['default/web', '10.96.120.7'],
      ['kube-system/kube-dns', '10.96.0.10'],
    ]);
    // The hostNetwork DaemonSet and pod are said; events and empty lists are not.
    expect(r.warnings).toContainEqual(expect.stringContaining('skipped hostNetwork pods'));
    expect(r.warnings.join('\n')).not.toContain('skipped kinds');
    // And it is a cluster a packet crosses: CoreDNS on cp-1 to the web Service, DNATed to web-1 on worker-1.
    const t = traceOf(s, 'pod/kube-system/coredns-7c65d6cfc9-x2bqf', 'service/default/web:80');
    expect(t.verdict).toBe('delivered');
    expect(t.endpoint).toBe('default/web-1');
    // Across nodes through flannel's VXLAN device, as the nodes' annotations say.
    expect(t.hops.map((h) => h.device)).toContain('flannel.1');
  });
  it('reads the same dump written with -o yaml (documents split by ---, logs between), with YAML errors at their own line', () => {
    // kubectl's YAML printer writes --- before every object but the first.
    const yaml = lists.map(({ list }) => stringify(list)).join('---\n');
    const withLogs = yaml + '==== START logs for container main of pod default/web-1 ====\n: not yaml {\n==== END logs for container main of pod default/web-1 ====\n---\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, ports: [{containerPort: 0}]}]}\n';
    const r = parseScenario(withLogs, 'dump.yaml');
    expect(r.ok).toBe(false);
    const lastLine = withLogs.split('\n').length - 1;
    if (!r.ok) expect(r.issues).toEqual([{ document: 'Pod/default/p', field: 'spec.containers[0].ports[0].containerPort', reason: 'must be a port number 1-65535, got 0', line: lastLine }]);
  });
  it('a log line never ends the block unless it is the END line, and JSON in strings does not confuse the split', () => {
    const text = '{"kind": "A", "s": "} { \\" ]"}\n==== START logs for container c of pod ns/p ====\n{"x":\n==== END logs for container c of pod ns/p ====\n{"kind": "B"}\n';
    const blanked = blankPodLogs(text);
    expect(blanked.split('\n')).toHaveLength(text.split('\n').length);
    const array = concatenatedJsonAsArray(blanked);
    expect(JSON.parse(array!)).toEqual([{ kind: 'A', s: '} { " ]' }, { kind: 'B' }]);
    // One value, or not JSON at all: left to the reader as it was.
    expect(concatenatedJsonAsArray('{"kind": "A"}')).toBeUndefined();
    expect(concatenatedJsonAsArray('kind: A\n')).toBeUndefined();
  });
});

describe('kubectl cluster-info dump --output-directory', () => {
  it('its files read together give the same cluster as the stream', () => {
    expect(directoryFiles.map((f) => f.name)).toContain('dump/kube-system/pods.json');
    const dir = loadScenarioFiles(directoryFiles);
    const stream = loadScenario(dumpStream(lists), 'dump.txt');
    if (!dir.ok || !stream.ok) throw new Error('expected both to load');
    expect(dir.value).toEqual(stream.value);
    expect(dir.warnings).toEqual(stream.warnings);
  });
  it('each issue names the file it is in', () => {
    const files = directoryFiles.map((f) => (f.name === 'dump/default/pods.json' ? { ...f, text: f.text.replace('"containerPort": 8080', '"containerPort": 80800') } : f));
    const r = loadScenarioFiles(files);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ file: 'dump/default/pods.json', document: 'Pod/default/web-1', field: 'spec.containers[0].ports[0].containerPort', reason: 'must be a port number 1-65535, got 80800' }]);
    const broken = loadScenarioFiles([...directoryFiles.slice(0, 2), { name: 'dump/extra.yaml', text: 'kind: [' }]);
    expect(!broken.ok && broken.issues.map((i) => [i.file, i.document])).toEqual([['dump/extra.yaml', 'dump/extra.yaml']]);
  });
});

describe('what is not a dump podpath reads', () => {
  it("kubectl's old internal format (Items, metadata flattened) is refused, saying what it is and what to run instead", () => {
    const old = JSON.stringify({ kind: '', apiVersion: '', Items: [{ name: 'node-1', Spec: { PodCIDR: '10.244.0.0/24' }, Status: {} }] });
    const r = parseScenario(old, 'old-dump.json');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ code: 'internal-format', document: 'old-dump.json', field: 'Items' });
      expect(r.issues[0].reason).toContain("kubectl's old internal format");
      expect(r.issues[0].reason).toContain('kubectl cluster-info dump');
    }
    // An object of it on its own, metadata flattened beside Spec.
    const one = parseScenario(JSON.stringify({ kind: 'Pod', name: 'p', Namespace: 'default', Spec: {} }), 'pod.json');
    expect(!one.ok && one.issues[0].code).toBe('internal-format');
  });
  it('an old dump directory, every file in the internal format, is one issue naming the files, not one each', () => {
    const old = (kind: string) => JSON.stringify({ kind: '', apiVersion: '', Items: [{ name: 'x', Spec: {}, Status: {}, Kind: kind }] });
    const files = ['nodes.json', 'default/pods.json', 'default/services.json', 'kube-system/pods.json', 'kube-system/services.json', 'kube-system/events.json'].map((f) => ({ name: `old/${f}`, text: old(f) }));
    const r = loadScenarioFiles(files);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].code).toBe('internal-format');
    expect(r.issues[0].reason).toMatch(/^6 files are kubectl's old internal format/);
    expect(r.issues[0].reason).toContain('old/nodes.json, old/default/pods.json, old/default/services.json, old/kube-system/pods.json and 2 more');
  });
  it('a dump read without its nodes.json is one issue naming the nodes its pods run on, not one per pod', () => {
    const withoutNodes = directoryFiles.filter((f) => !f.name.endsWith('nodes.json'));
    expect(withoutNodes.length).toBe(directoryFiles.length - 1);
    const r = loadScenarioFiles(withoutNodes);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    // hostNetwork pods are left out before (they are drawn as their node), so they name no node here.
    const bound = kubeadmFlannel().pods.filter((p) => p.nodeName !== undefined && !p.hostNetwork);
    const nodes = [...new Set(bound.map((p) => p.nodeName))].sort();
    expect(r.issues[0]).toMatchObject({ code: 'nodes-missing', nodes });
    expect(r.issues[0].reason).toContain(`${bound.length} pods run on`);
    expect(r.issues[0].reason).toContain('nodes.json');
    // A manifest whose pods name podpath's default nodes still gets them.
    const manifest = parseScenario('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {nodeName: node-2, containers: [{name: c, image: i}]}\n');
    expect(manifest.ok && manifest.value.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3']);
  });
  it('a plain kind: List still names each item\'s kind, and an item without one is still refused', () => {
    const r = parseScenario('apiVersion: v1\nkind: List\nitems:\n- {metadata: {name: n}}\n', 'list.yaml');
    expect(!r.ok && r.issues.map((i) => [i.field, i.reason])).toEqual([['kind', 'is required (every document needs apiVersion and kind)']]);
  });
});

describe('a broken .json file', () => {
  it('is one JSON error at its place, not the YAML reader guessing at it', () => {
    const r = parseScenario('{"kind": "List", "items": [ {"kind": "Pod" "metadata": {}} ]}\n', 'bad.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code: 'yaml-syntax', line: 1, column: 44 });
    expect(r.issues[0].reason).toMatch(/^JSON does not parse: /);
  });
  it('cut short: said once, at its end', () => {
    const whole = dumpStream(lists);
    const r = parseScenario(whole.slice(0, 2000), 'cut.json');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0].reason).toMatch(/^JSON does not parse: /);
    }
  });
});

describe('documents of several files', () => {
  it('numbers a document within its own file, where its author will look for it', () => {
    const first = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: blog}\n';
    const second = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ops}\n---\nmetadata: {name: stray}\n';
    const r = loadScenarioFiles([{ name: 'a.yaml', text: first }, { name: 'b.yaml', text: second }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.file, i.document])).toEqual([['b.yaml', 'document #2 (stray)']]);
  });
});
