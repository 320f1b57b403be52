// A Deployment added in the playground: its pods are named as its ReplicaSet names
// them (the same scheme as a file's Deployment), placed by the scheduler rule.
import { describe, expect, it } from 'vitest';
import { allocate, emptyScenario, type Result, type Scenario } from './index.ts';
import * as edit from './edit.ts';
import { scaleDeployment } from './lesson/workload.ts';
import { podTemplateHash } from './scenario/workloads.ts';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.issues.map((i) => i.reason).join('; '));
  return r.value;
}
const twoNodes = (): Scenario => value(edit.addNode(value(edit.addNode(value(allocate(emptyScenario()))))));

describe('a Deployment in the playground', () => {
  it('makes its replicas NAME-<pod-template-hash>-<5 chars>, one per node first (topology spread), with addresses from each node', () => {
    const s = value(edit.addDeployment(twoNodes(), { name: 'web', replicas: 3 }));
    const pods = s.pods.filter((p) => p.ownerName === 'web');
    expect(pods).toHaveLength(3);
    const hash = pods[0].labels['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    for (const p of pods) {
      expect(p.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p).toMatchObject({ ownerKind: 'Deployment', labels: { app: 'web', 'pod-template-hash': hash } });
    }
    expect(new Set(pods.map((p) => p.name)).size).toBe(3);
    expect(pods.map((p) => p.nodeName)).toEqual(['node-1', 'node-2', 'node-1']);
    expect(pods.map((p) => p.podIP)).toEqual(['10.244.0.2', '10.244.1.2', '10.244.0.3']);
    // The hash is the template's: the same for a Deployment of the same template, whatever its name.
    expect(hash).toBe(podTemplateHash({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } }));
  });

  it('names the next one deploy-N; refuses a taken name, no nodes, or zero replicas, with the field at fault', () => {
    let s = value(edit.addDeployment(twoNodes()));
    s = value(edit.addDeployment(s));
    expect(edit.deploymentsOf(s)).toEqual(['default/deploy-1', 'default/deploy-2']);
    const taken = edit.addDeployment(s, { name: 'deploy-1' });
    expect(!taken.ok && taken.issues[0]).toMatchObject({ document: 'Deployment/default/deploy-1', field: 'metadata.name' });
    const none = edit.addDeployment(value(allocate(emptyScenario())));
    expect(!none.ok && none.issues[0].reason).toMatch(/no node/);
    const zero = edit.addDeployment(s, { name: 'z', replicas: 0 });
    expect(!zero.ok && zero.issues[0].field).toBe('spec.replicas');
  });

  it('scaled up and down like a ReplicaSet: new names of the same scheme; down deletes from the node with the most, newest first', () => {
    const s = value(edit.addDeployment(twoNodes(), { name: 'web', replicas: 3 }));
    const up = value(scaleDeployment(s, { namespace: 'default', name: 'web' }, 4)).scenario;
    const added = up.pods.at(-1)!;
    expect(added.name).toMatch(new RegExp(`^web-${s.pods[0].labels['pod-template-hash']}-`));
    expect(added.nodeName).toBe('node-2');
    const down = value(scaleDeployment(up, { namespace: 'default', name: 'web' }, 2)).scenario;
    // 4 pods, two per node: the newest goes first (node-2's), then node-1 has the most: its newest.
    expect(down.pods.map((p) => p.name)).toEqual([s.pods[0].name, s.pods[1].name]);
  });
});
