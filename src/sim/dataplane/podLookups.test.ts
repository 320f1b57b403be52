// A compile keeps what the last one found by scanning the pods (podLookups.ts): held
// here, edit after edit, to the answers read straight off the pod list.
import { describe, expect, it } from 'vitest';
import type { Result } from '../errors.ts';
import type { Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { addPod, movePod, remove, rename, setLabels } from '../edit.ts';
import { allocate } from '../ipam/index.ts';
import { bridgeGateway } from '../ipam/index.ts';
import { DEFAULT_CLUSTER, emptyScenario } from '../model.ts';
import { compile } from './compile.ts';
import { editedPlace, forgetPodLookups } from './podLookups.ts';

const must = (r: Result<Scenario>): Scenario => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

function cluster(): Scenario {
  const nodes = 12;
  const s = emptyScenario({ ...DEFAULT_CLUSTER, podCIDR: '10.0.0.0/12', cni: 'flannel-vxlan' });
  return must(
    allocate({
      ...s,
      nodes: Array.from({ length: nodes }, (_, n) => ({ name: `node-${n}`, labels: {} })),
      // node-11 has no pods until an edit puts one there.
      pods: Array.from({ length: 600 }, (_, i) => ({ namespace: i % 3 ? 'default' : 'shop', name: `p-${i}`, labels: { app: `a${i % 7}` }, nodeName: `node-${i % (nodes - 1)}`, ports: [] })),
    }),
  );
}

/** What a compile answers about two nodes and two pods (few enough that it scans rather than indexes), and every node's cni0. */
function asked(s: Scenario, round: number) {
  const dp = compile(s);
  const nodes = [s.nodes[round % s.nodes.length].name, s.nodes[(round * 5 + 3) % s.nodes.length].name];
  const names = [objectKey(s.pods[(round * 37) % s.pods.length]), `shop/p-${(round * 11) % 600}`];
  return {
    onNode: nodes.map((n) => dp.podsOn(n).map((p) => `${objectKey(p)} ${p.podIP}`)),
    named: names.map((k) => dp.podOf(k)?.podIP),
    // cni0 answers for its gateway only on a node with pods.
    cni0: s.nodes.map((n) => dp.ownerOf(bridgeGateway(n.podCIDR!))?.device ?? 'none'),
  };
}

/** The same questions answered from the pod list itself. */
function truth(s: Scenario, round: number) {
  const nodes = [s.nodes[round % s.nodes.length].name, s.nodes[(round * 5 + 3) % s.nodes.length].name];
  const names = [objectKey(s.pods[(round * 37) % s.pods.length]), `shop/p-${(round * 11) % 600}`];
  return {
    onNode: nodes.map((n) => s.pods.filter((p) => p.nodeName === n).map((p) => `${objectKey(p)} ${p.podIP}`)),
    named: names.map((k) => s.pods.findLast((p) => objectKey(p) === k)?.podIP),
    cni0: s.nodes.map((n) => (s.pods.some((p) => p.nodeName === n.name) ? 'cni0' : 'none')),
  };
}

describe('what compiles keep of their scans of the pods', () => {
  it('answers as the pod list does after adding, moving, relabelling, renaming, removing and reordering pods', () => {
    forgetPodLookups();
    let s = cluster();
    const edits: ((s: Scenario, r: number) => Scenario)[] = [
      (s, r) => must(addPod(s, `node-${r % 12}`, { name: `new-${r}`, labels: { app: 'a1' } })),
      (s, r) => must(movePod(s, objectKey(s.pods[(r * 7) % s.pods.length]), `node-${(r * 3 + 1) % 12}`)),
      (s, r) => must(setLabels(s, 'pod', objectKey(s.pods[r % s.pods.length]), { app: 'moved' })),
      (s, r) => must(rename(s, 'pod', objectKey(s.pods[(r * 13) % s.pods.length]), `renamed-${r}`)),
      (s, r) => must(remove(s, 'pod', objectKey(s.pods[(r * 17) % s.pods.length]))),
      // The same pods in another order (no pod changed): a node's pods are listed in the new order.
      (s, r) => {
        const i = (r * 19) % (s.pods.length - 40);
        const pods = s.pods.slice();
        [pods[i], pods[i + 30]] = [pods[i + 30], pods[i]];
        return { ...s, pods };
      },
    ];
    for (let round = 0; round < 120; round++) {
      s = edits[round % edits.length](s, round);
      expect(asked(s, round), `round ${round}`).toEqual(truth(s, round));
    }
  });
  it('editedPlace: both versions of the pods between the common start and end; undefined when many', () => {
    const s = cluster();
    const a = s.pods.slice(0, 6);
    const swapped = [a[0], a[2], a[1], a[3], a[4], a[5]];
    expect(editedPlace(a, swapped)).toEqual([a[1], a[2], a[2], a[1]]);
    expect(editedPlace(a, a)).toEqual([]);
    expect(editedPlace(a, [...a, s.pods[9]])).toEqual([s.pods[9]]);
    expect(editedPlace(s.pods, s.pods.slice().reverse(), 10)).toBeUndefined();
  });
});
