import { describe, expect, it } from 'vitest';
import type { Result } from '../errors.ts';
import type { Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { addNode, addPod, addService, movePod, remove, rename, setLabels, setPodPorts, setSelector, setServicePorts } from '../edit.ts';
import { trace } from '../trace/index.ts';
import { compile, forgetKeptRemotes } from './compile.ts';
import { endpointsOf } from './endpoints.ts';
import { show } from './show.ts';
import { changedPods } from './keptAcrossEdits.ts';
import { load, scenarioFile } from '../testing/helpers.ts';

const must = (r: Result<Scenario>): Scenario => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

/** Everything the endpoints decide, as a person sees it: each Service port's endpoints, every node's iptables, and traces to each Service. */
function seen(s: Scenario) {
  const dp = compile(s);
  const endpoints = s.services.flatMap((v) => v.ports.map((sp) => [`${objectKey(v)}:${sp.port}`, endpointsOf(s, v, sp).map((e) => `${e.pod ? objectKey(e.pod) : "(no pod)"} ${e.ip}:${e.port}`)]));
  // Every node as `ip addr`, `ip route`, iptables-save, and its neighbours and FDB.
  const nodes = s.nodes.map((n) => {
    const shown = show(dp, n.name);
    if (!shown.ok) throw new Error(JSON.stringify(shown.issues));
    const ns = dp.netns(n.name)!;
    return [shown.value, JSON.stringify(ns.neighbours), JSON.stringify(ns.fdb)];
  });
  const client = s.pods.find((p) => p.name === 'client')!;
  const traces = s.services.flatMap((v) =>
    v.ports.map((sp) => JSON.stringify(trace(dp, { from: { kind: 'pod', namespace: client.namespace, name: client.name }, to: { kind: 'service', namespace: v.namespace, name: v.name, port: sp.port }, proto: sp.protocol === 'UDP' ? 'udp' : 'tcp' }))),
  );
  return { endpoints, nodes, traces };
}

describe('what is kept across edits (endpoints, kube-proxy rules, routes to other nodes) is what a fresh compile finds', () => {
  it('after adding, removing, moving, relabelling and renaming pods and nodes, and changing selectors and ports', () => {
    let s = load(scenarioFile('flannel-vxlan.yaml'));
    const web = s.pods.find((p) => p.labels.app === 'web')!;
    const edits: [string, (s: Scenario) => Scenario][] = [
      ['add a pod the Service selects', (s) => must(addPod(s, 'node-2', { name: 'web-extra', labels: { ...web.labels }, ports: web.ports }))],
      ['add a pod it does not select', (s) => must(addPod(s, 'node-1', { name: 'other', labels: { app: 'other' } }))],
      ['move a selected pod to the other node (a new address)', (s) => must(movePod(s, 'default/web-extra', 'node-1'))],
      ['relabel a selected pod out of the selector', (s) => must(setLabels(s, 'pod', 'default/web-extra', { app: 'gone' }))],
      ['relabel an unselected pod into it', (s) => must(setLabels(s, 'pod', 'default/other', { ...web.labels }))],
      ['drop the named port the Service targets from a pod', (s) => must(setPodPorts(s, 'default/other', [{ containerPort: 9999, protocol: 'TCP' }]))],
      ['change the Service port', (s) => must(setServicePorts(s, 'default/web', [{ name: 'http', port: 8081, targetPort: 'http', protocol: 'TCP' }]))],
      ['change the Service selector', (s) => must(setSelector(s, 'default/web', { app: 'gone' }))],
      ['add a Service', (s) => must(addService(s, { name: 'second', selector: { ...web.labels } }))],
      ['rename a selected pod', (s) => must(rename(s, 'pod', objectKey(web), 'renamed'))],
      ['remove a selected pod', (s) => must(remove(s, 'pod', 'default/renamed'))],
      ['remove a Service', (s) => must(remove(s, 'service', 'default/second'))],
      ['add a node', (s) => must(addNode(s, 'node-3'))],
      ['put a pod on it', (s) => must(addPod(s, 'node-3', { name: 'on-3', labels: { ...web.labels }, ports: web.ports }))],
      ['rename a node', (s) => must(rename(s, 'node', 'node-3', 'node-9'))],
      ['remove a node', (s) => must(remove(s, 'node', 'node-9'))],
    ];
    seen(s); // the answers an edit may keep
    for (const [what, edit] of edits) {
      s = edit(s);
      const kept = seen(s);
      // A copy shares no object with anything asked before: everything is computed afresh.
      forgetKeptRemotes();
      const fresh = seen(structuredClone(s));
      expect(kept, what).toEqual(fresh);
    }
  });
  it('changedPods: the pods not in both lists, by object; undefined when many', () => {
    const s = load(scenarioFile('flannel-vxlan.yaml'));
    const replaced = { ...s.pods[1] };
    expect(changedPods(s.pods, [s.pods[0], replaced, ...s.pods.slice(2)])).toEqual([s.pods[1], replaced]);
    expect(changedPods(s.pods, s.pods)).toEqual([]);
    expect(changedPods(s.pods, structuredClone(s.pods), 1)).toBeUndefined();
  });
});
