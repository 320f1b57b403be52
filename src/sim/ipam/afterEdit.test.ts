import { beforeEach, describe, expect, it } from 'vitest';
import type { PodSpec, Scenario } from '../model.ts';
import { allocate } from './index.ts';
import { allocateAfterEdit, forgetAllocation, podEdit, rememberAllocation } from './afterEdit.ts';
import { load, cluster, node } from '../testing/helpers.ts';

const pod = (name: string, nodeName: string | undefined, extra: Partial<PodSpec> = {}): PodSpec => ({ namespace: 'default', name, labels: { app: name }, ...(nodeName ? { nodeName } : {}), ports: [{ containerPort: 8080, protocol: 'TCP' }], ...extra });

function base(cni: string): Scenario {
  const text = cluster(cni) + node('a') + node('b') + node('c');
  const r = allocate({ ...load(text), pods: Array.from({ length: 30 }, (_, i) => pod(`p-${i}`, ['a', 'b', 'c'][i % 3])) });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/**
 * The input allocated after the last allocation (`before`), and allocated from
 * nothing: the two must be the same, issues included. Returns whether the edit path
 * answered (rather than giving up to the full allocation).
 */
function sameAsFull(before: Scenario, input: Scenario) {
  forgetAllocation();
  const full = allocate(input);
  forgetAllocation();
  rememberAllocation(before);
  const quick = allocateAfterEdit(input);
  rememberAllocation(before);
  const viaAllocate = allocate(input);
  expect(viaAllocate).toEqual(full);
  if (quick) expect(quick).toEqual(full.ok ? full.value : 'the full path refused it');
  return { answered: quick !== undefined, full };
}

describe('allocation after an edit (only the changed pods checked) gives what a full allocation gives', () => {
  beforeEach(() => forgetAllocation());
  for (const cni of ['flannel-vxlan', 'bridge-hostgw', 'vpc']) {
    it(`${cni}: adding, removing, moving, relabelling and readdressing pods`, () => {
      const s = base(cni);
      const added = { ...s, pods: [...s.pods, pod('new-1', 'b'), pod('new-2', 'b')] };
      expect(sameAsFull(s, added).answered).toBe(true);
      const removedMiddle = { ...s, pods: s.pods.filter((p) => p.name !== 'p-7') };
      expect(sameAsFull(s, removedMiddle).answered).toBe(true);
      // A moved pod is a new pod with no address: host-local on its new node gives it one.
      const moved = { ...s, pods: s.pods.map((p) => (p.name === 'p-4' ? { ...p, nodeName: 'c', podIP: undefined } : p)) };
      const m = sameAsFull(s, moved);
      expect(m.answered).toBe(true);
      const relabelled = { ...s, pods: s.pods.map((p) => (p.name === 'p-5' ? { ...p, labels: { app: 'other' } } : p)) };
      expect(sameAsFull(s, relabelled).answered).toBe(true);
      // Removed then added again: host-local does not hand the freed address out at once.
      const afterRemove = allocate(removedMiddle);
      if (!afterRemove.ok) throw new Error('remove');
      const readded = { ...afterRemove.value, pods: [...afterRemove.value.pods, pod('p-7', 'b')] };
      expect(sameAsFull(afterRemove.value, readded).answered).toBe(true);
      // Unchanged, and the same scenario again.
      expect(sameAsFull(s, s).answered).toBe(true);
    });
  }
  it("a dump's Pending and finished pods (no address) are kept without one across edits, as the full path keeps them", () => {
    const withStatus = allocate({ ...base('flannel-vxlan'), pods: [...base('flannel-vxlan').pods, pod('waiting', 'a', { phase: 'Pending' }), pod('done', 'b', { phase: 'Succeeded' })] });
    if (!withStatus.ok) throw new Error(JSON.stringify(withStatus.issues));
    const s = withStatus.value;
    expect(s.pods.filter((p) => p.podIP === undefined).map((p) => p.name)).toEqual(['waiting', 'done']);
    const added = { ...s, pods: [...s.pods, pod('new-1', 'b'), pod('also-waiting', 'c', { phase: 'Pending' })] };
    const r = sameAsFull(s, added);
    expect(r.answered).toBe(true);
    expect(r.full.ok && r.full.value.pods.filter((p) => p.podIP === undefined).map((p) => p.name)).toEqual(['waiting', 'done', 'also-waiting']);
  });
  it('gives up, so that the full allocation words the problem, on a duplicate name, a taken or foreign address, a missing node', () => {
    const s = base('flannel-vxlan');
    const taken = s.pods[0].podIP!;
    const cases: Scenario[] = [
      { ...s, pods: [...s.pods, pod('p-3', 'a')] },
      { ...s, pods: [...s.pods, pod('x', 'a', { podIP: taken, nodeName: s.pods[0].nodeName })] },
      { ...s, pods: [...s.pods, pod('x', 'a', { podIP: '10.9.9.9' })] },
      { ...s, pods: [...s.pods, pod('x', 'ghost')] },
      { ...s, pods: [...s.pods, pod('x', 'a'), pod('x', 'b')] },
    ];
    for (const input of cases) {
      const r = sameAsFull(s, input);
      expect(r.answered).toBe(false);
      expect(r.full.ok).toBe(false);
    }
  });
  it('leaves to the full allocation what it does not check: a pod to schedule, a hostPort, another node or cluster setting, a large change', () => {
    const s = base('flannel-vxlan');
    const cases: Scenario[] = [
      { ...s, pods: [...s.pods, pod('unbound', undefined)] },
      { ...s, pods: [...s.pods, pod('hp', 'a', { ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] })] },
      { ...s, nodes: [...s.nodes, { name: 'd', labels: {} }], pods: [...s.pods, pod('on-d', 'd')] },
      { ...s, cluster: { ...s.cluster, nodeCIDRMaskSize: 25 } },
      { ...s, pods: [...s.pods, ...Array.from({ length: 70 }, (_, i) => pod(`bulk-${i}`, 'c'))] },
    ];
    for (const input of cases) {
      const r = sameAsFull(s, input);
      expect(r.answered).toBe(false);
      expect(r.full.ok).toBe(true);
    }
  });
  it('a chain of edits, each allocated after the one before, ends where allocating each from nothing ends', () => {
    let quick = base('bridge-hostgw');
    let full = quick;
    const edits: ((s: Scenario, i: number) => Scenario)[] = [
      (s, i) => ({ ...s, pods: [...s.pods, pod(`n-${i}`, ['a', 'b', 'c'][i % 3])] }),
      (s, i) => ({ ...s, pods: s.pods.filter((_, k) => k !== (i * 7) % s.pods.length) }),
      (s, i) => ({ ...s, pods: s.pods.map((p, k) => (k === (i * 5) % s.pods.length ? { ...p, nodeName: ['a', 'b', 'c'][(i + 1) % 3], podIP: undefined } : p)) }),
    ];
    for (let i = 0; i < 60; i++) {
      const edit = edits[i % edits.length];
      const q = allocate(edit(quick, i));
      forgetAllocation();
      const f = allocate(edit(full, i));
      expect(q).toEqual(f);
      if (!q.ok || !f.ok) throw new Error('edit refused');
      quick = q.value;
      full = f.value;
      // The next quick allocation starts from the quick result, as in the playground.
      rememberAllocation(quick);
    }
  });
});

describe('podEdit', () => {
  const ps = Array.from({ length: 6 }, (_, i) => pod(`p-${i}`, 'a'));
  it('finds the pods added, removed or replaced, by object, with where the added ones are', () => {
    const replaced = { ...ps[2] };
    expect(podEdit(ps, [...ps.slice(0, 2), replaced, ...ps.slice(3)])).toEqual({ removed: [ps[2]], added: [{ pod: replaced, index: 2 }] });
    expect(podEdit(ps, ps.slice(1))).toEqual({ removed: [ps[0]], added: [] });
    // Two pods swapped: neither is a change.
    expect(podEdit(ps, [ps[1], ps[0], ...ps.slice(2)])).toEqual({ removed: [], added: [] });
    expect(podEdit(ps, [...ps].reverse(), 3)).toBeUndefined();
  });
});
