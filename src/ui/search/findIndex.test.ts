import { describe, expect, it } from 'vitest';
import { benchScenario } from '../bench.ts';
import { describeEntry, findEntries, findIndex } from './findIndex.ts';

const s = benchScenario(50, 30);
const index = findIndex(s);

describe('finding a pod, node or Service in a big cluster', () => {
  it('lists every pod, node and Service and the external client, once per cluster', () => {
    expect(index.entries).toHaveLength(50 * 30 + 50 + 5 + 1);
    expect(findIndex(s)).toBe(index);
  });

  it('puts the exact name first, then names starting with the query, then names containing it', () => {
    const exact = findEntries(index, 'APP-7-1', ['pod']);
    // app-7-1 and app-7-10 … app-7-19.
    expect(exact.total).toBe(11);
    expect(exact.matches[0].name).toBe('app-7-1');
    expect(exact.matches.slice(1).every((m) => m.name.startsWith('app-7-1'))).toBe(true);
    const inside = findEntries(index, '7-2', ['pod']);
    expect(inside.matches[0].name).toBe('app-7-2');
    expect(inside.matches.map((m) => m.name)).toContain('app-17-2');
  });

  it('shows at most the limit, and says how many match in all', () => {
    const { matches, total } = findEntries(index, 'app-7-', ['pod'], 12);
    expect(total).toBe(30);
    expect(matches).toHaveLength(12);
  });

  it('finds a pod by its address, with the node it runs on', () => {
    const pod = s.pods[123];
    const { matches } = findEntries(index, pod.podIP!, ['pod', 'node', 'service']);
    expect(matches[0].id).toBe(`pod:default/${pod.name}`);
    expect(describeEntry(matches[0])).toEqual({ title: pod.name, detail: `${pod.podIP} on ${pod.nodeName}` });
  });

  it('keeps to the kinds asked for: a packet is not sent to the external client, nor from a Service', () => {
    expect(findEntries(index, 'svc-1', ['pod', 'node']).total).toBe(0);
    expect(findEntries(index, 'svc-1', ['service']).matches.map((m) => m.id)).toEqual(['svc:default/svc-1']);
    expect(findEntries(index, 'external', ['pod', 'service']).total).toBe(0);
    expect(findEntries(index, 'node-12', ['node']).matches[0]).toMatchObject({ kind: 'node', name: 'node-12', ip: s.nodes[11].internalIP });
  });

  it('finds nothing for an empty query or a name that is not there', () => {
    expect(findEntries(index, '  ', ['pod'])).toEqual({ matches: [], total: 0 });
    expect(findEntries(index, 'no-such-pod', ['pod', 'node', 'service']).total).toBe(0);
  });
});
