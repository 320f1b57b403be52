// Deployments in the playground's store: the palette adds one (its first pod
// selected), the Inspector's +/- scale it, each change one undo step, said in words.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, loadIo } from './store.ts';

describe('Deployments in the playground', () => {
  beforeAll(() => loadIo());

  it('adding selects its first pod; scaling up and down makes and deletes pods as the ReplicaSet does, says which, and undoes in one step each', () => {
    const store = createPlayground();
    const st = () => store.getState();
    expect(st().addDeployment({ name: 'api' })).toBe(true);
    const own = () => st().scenario.pods.filter((p) => p.ownerName === 'api');
    expect(own()).toHaveLength(2);
    expect(st().selection).toEqual({ kind: 'pod', key: `default/${own()[0].name}` });
    expect(st().scaleDeployment('default', 'api', 3)).toBe(true);
    const made = own()[2];
    expect(st().notice?.text).toBe(`the ReplicaSet of Deployment default/api made pod ${made.name} on ${made.nodeName} (${made.podIP})`);
    // The selected pod is the first; scaling down to 1 deletes the newest ones on the fullest node, never leaving the Inspector empty.
    st().select({ kind: 'pod', key: `default/${made.name}` });
    expect(st().scaleDeployment('default', 'api', 1)).toBe(true);
    expect(own()).toHaveLength(1);
    expect(st().notice?.text.split('\n')).toHaveLength(2);
    expect(st().selection).toEqual({ kind: 'pod', key: `default/${own()[0].name}` });
    store.temporal.getState().undo();
    expect(own()).toHaveLength(3);
    store.temporal.getState().undo();
    expect(own()).toHaveLength(2);
  });

  it('scaling to 0 is refused with the reason, and nothing changes', () => {
    const store = createPlayground();
    store.getState().addDeployment({ name: 'api', replicas: 1 });
    const before = store.getState().scenario;
    expect(store.getState().scaleDeployment('default', 'api', 0)).toBe(false);
    expect(store.getState().scenario).toBe(before);
    expect(store.getState().notice).toMatchObject({ kind: 'error', near: 'inspector' });
  });
});
