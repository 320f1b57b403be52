// Connecting a Service to one more pod: the engine never replaces the selector (that
// would drop the pods it selected); it labels the pod, or selects by what the pods
// share, and the endpoints kube-proxy gets are those a person was told.
import { describe, expect, it } from 'vitest';
import type { Result, Scenario } from './index.ts';
import * as edit from './edit.ts';
import { cluster, load, node, pod, service, traceOf } from './testing/helpers.ts';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.issues.map((i) => i.reason).join('; '));
  return r.value;
}
const http = [{ containerPort: 8080 }];
const base = () =>
  load(
    cluster('bridge-hostgw') +
      node('node-1') +
      node('node-2') +
      pod('web-1', 'node-1', { app: 'web', tier: 'front' }, http) +
      pod('web-2', 'node-2', { app: 'web', tier: 'front' }, http) +
      pod('pod-3', 'node-2', { app: 'pod-3', tier: 'front' }, http) +
      pod('db', 'node-1', { app: 'db' }, http) +
      service('web', { app: 'web' }, [{ port: 80, targetPort: 8080 }]) +
      service('empty', {}, [{ port: 80, targetPort: 8080 }]),
  );
/** The pods kube-proxy may send the Service's traffic to: the walk's candidates. */
const endpointsOf = (s: Scenario, svc: string) => traceOf(s, 'node/node-1', `service/default/${svc}:80`).candidates.map((k) => k.slice('default/'.length)).sort();

describe('a Service connected to one more pod', () => {
  it('a Service without a selector takes the pod\'s labels (not the labels its controller adds)', () => {
    const s = base();
    const withHash = value(edit.setLabels(s, 'pod', 'default/db', { app: 'db', 'pod-template-hash': 'x5d8' }));
    expect(value(edit.serviceToPod(withHash, 'default/empty', 'default/db'))).toEqual({ kind: 'first-pod', selector: { app: 'db' } });
    const after = value(edit.widenSelector(withHash, 'default/empty', 'default/db'));
    expect(after.services.find((v) => v.name === 'empty')?.selector).toEqual({ app: 'db' });
  });

  it('a pod the selector already selects: nothing to choose', () => {
    expect(value(edit.serviceToPod(base(), 'default/web', 'default/web-2'))).toEqual({ kind: 'already-selected' });
  });

  it('a pod not selected: the engine offers labelling it (saying what it overwrites) or selecting by the label all share', () => {
    const link = value(edit.serviceToPod(base(), 'default/web', 'default/pod-3'));
    expect(link).toEqual({
      kind: 'choose',
      labelPod: { labels: { app: 'web', tier: 'front' }, overwrites: { app: 'pod-3' } },
      widen: { selector: { tier: 'front' }, selects: ['default/web-1', 'default/web-2', 'default/pod-3'] },
    });
  });

  it('labelling the pod: the Service now has three endpoints, the selector unchanged', () => {
    const s = value(edit.labelPodForService(base(), 'default/web', 'default/pod-3'));
    expect(s.services.find((v) => v.name === 'web')?.selector).toEqual({ app: 'web' });
    expect(s.pods.find((p) => p.name === 'pod-3')?.labels).toEqual({ app: 'web', tier: 'front' });
    expect(endpointsOf(s, 'web')).toEqual(['pod-3', 'web-1', 'web-2']);
    // Addresses are kept: labelling is not re-creating.
    expect(s.pods.map((p) => p.podIP)).toEqual(base().pods.map((p) => p.podIP));
  });

  it('widening the selector: the Service selects every pod with the shared label', () => {
    const s = value(edit.widenSelector(base(), 'default/web', 'default/pod-3'));
    expect(s.services.find((v) => v.name === 'web')?.selector).toEqual({ tier: 'front' });
    expect(endpointsOf(s, 'web')).toEqual(['pod-3', 'web-1', 'web-2']);
  });

  it('a pod sharing no label cannot be reached by widening: refused with the reason, labelling still offered', () => {
    const link = value(edit.serviceToPod(base(), 'default/web', 'default/db'));
    expect(link.kind === 'choose' && link.widen).toBeNull();
    const r = edit.widenSelector(base(), 'default/web', 'default/db');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]).toMatchObject({ document: 'Service/default/web', field: 'spec.selector' });
    expect(endpointsOf(value(edit.labelPodForService(base(), 'default/web', 'default/db')), 'web')).toEqual(['db', 'web-1', 'web-2']);
  });

  it('a pod in another namespace, or one that is not there: a typed issue', () => {
    const s = value(edit.addPod(base(), 'node-1', { name: 'other', namespace: 'team-b', labels: { app: 'web' } }));
    const other = edit.serviceToPod(s, 'default/web', 'team-b/other');
    expect(!other.ok && other.issues[0].field).toBe('spec.selector');
    const gone = edit.serviceToPod(s, 'default/web', 'default/nope');
    expect(!gone.ok && gone.issues[0]).toMatchObject({ document: 'Pod/default/nope', field: 'metadata.name' });
  });
});
