// The one way in for a saved playground: what comes out is a cluster the parser and
// IPAM accepted, or a typed problem, never the raw value.
import { describe, expect, it } from 'vitest';
import { allocate } from '../ipam/index.ts';
import { load, scenarioFile } from '../testing/helpers.ts';
import { compile } from '../dataplane/compile.ts';
import { trace } from '../trace/index.ts';
import { CNI_MODES, emptyScenario, type Scenario } from '../model.ts';
import type { TraceRequest } from '../trace/types.ts';
import { describeRestoreProblem, looksLikeSave, restoreSave, restoreScenario, saveText, SAVE_FORMAT, SAVE_VERSION } from './restore.ts';

const allocated = (s: Scenario) => {
  const r = allocate(s);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
/** The demo cluster (public/scenarios/demo.yaml), allocated. */
const demo = load(scenarioFile('demo.yaml'));
const DEMO = demo;
const toWeb2: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' };
/** What podpath ≤ 0.1 wrote: zustand's persist envelope around the Scenario object. */
const version1 = (scenario: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ state: { scenario, positions: {}, request: null, showReply: false, speed: 1.5, ...extra }, version: 1 });
const { podIP: _a, ...clientNoIP } = DEMO.pods[0];

describe('restoring a saved playground', () => {
  it('round trip: what is saved comes back equal (cluster, positions, packet, playback settings)', () => {
    const save = { scenario: demo, positions: { 'node:node-1': { x: 12, y: -40 }, 'svc:default/web': { x: 300, y: 0 } }, request: toWeb2, showReply: true, speed: 3 };
    const r = restoreSave(saveText(save));
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.value).toEqual(save);
    expect(r.changes).toEqual([]);
    expect(r.migratedFrom).toBeUndefined();
  });

  it('a packet\'s size comes back with it; one the trace would refuse is dropped, said', () => {
    const sized: TraceRequest = { ...toWeb2, proto: 'udp', size: 1451 };
    const save = { scenario: demo, positions: {}, request: sized, showReply: false, speed: 1.5 };
    const r = restoreSave(saveText(save));
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.value.request).toEqual(sized);
    const tcp = restoreSave(saveText({ ...save, request: { ...toWeb2, size: 1451 } }));
    if (!tcp.ok) throw new Error(JSON.stringify(tcp.problem));
    expect(tcp.value.request).toEqual(toWeb2);
    expect(tcp.changes.join(' ')).toContain("the saved packet's size 1451 could not be used");
  });

  it('round trip of an empty cluster: no nodes come back as no nodes (not the three a file without nodes gets)', () => {
    const r = restoreSave(saveText({ scenario: allocated(emptyScenario(DEMO.cluster)), positions: {}, request: null, showReply: false, speed: 1.5 }));
    expect(r.ok && r.value.scenario.nodes).toEqual([]);
  });

  it('a corrupted save (cut short) is refused as not-json, with words for a person', () => {
    const text = saveText({ scenario: demo, positions: {}, request: null, showReply: false, speed: 1.5 });
    const r = restoreSave(text.slice(0, text.length / 2));
    expect(r).toEqual({ ok: false, problem: { code: 'not-json' } });
    if (!r.ok) expect(describeRestoreProblem(r.problem)).toBe('The saved text is not complete JSON: it may have been cut short, or edited by hand.');
    expect(restoreSave('')).toEqual({ ok: false, problem: { code: 'not-json' } });
  });

  it('an unknown CNI is refused with the parser\'s reason, not loaded raw', () => {
    const r = restoreSave(version1({ ...DEMO, cluster: { ...DEMO.cluster, cni: 'weave' }, pods: [clientNoIP] }));
    expect(r).toEqual({
      ok: false,
      problem: { code: 'cluster-refused', issues: [{ document: 'Cluster/cluster', field: 'spec.cni', reason: `must be one of ${CNI_MODES.join(', ')}, got "weave"` }] },
    });
    if (!r.ok) expect(describeRestoreProblem(r.problem)).toContain('spec.cni: must be one of bridge-hostgw, flannel-vxlan, vpc, calico, cilium, got "weave"');
  });

  it('pods saved without IPs come out allocated by IPAM, and a packet traces', () => {
    const noIPs = { ...DEMO, pods: DEMO.pods.map(({ podIP: _p, ...p }) => p), nodes: DEMO.nodes.map(({ podCIDR: _c, internalIP: _i, lastReservedIP: _l, ...n }) => n) };
    const r = restoreSave(version1(noIPs, { request: toWeb2 }));
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.value.scenario.pods.map((p) => [p.name, p.podIP])).toEqual([
      ['client', '10.244.0.2'],
      ['web-1', '10.244.0.3'],
      ['web-2', '10.244.1.2'],
    ]);
    const t = trace(compile(r.value.scenario), r.value.request!);
    expect(t.ok && t.value.verdict).toBe('delivered');
  });

  it('migrates an old version (1, zustand\'s envelope) to the same cluster, saying it was migrated', () => {
    const r = restoreSave(version1(demo, { positions: { 'node:node-2': { x: 5, y: 6 } }, request: toWeb2, speed: 0.75 }));
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.migratedFrom).toBe(1);
    expect(r.value).toEqual({ scenario: demo, positions: { 'node:node-2': { x: 5, y: 6 } }, request: toWeb2, showReply: false, speed: 0.75 });
    // Written again, it is the current version.
    expect(JSON.parse(saveText(r.value))).toMatchObject({ format: SAVE_FORMAT, version: SAVE_VERSION });
  });

  it('version 1 let a Service have several unnamed ports, which Kubernetes refuses: the migration names them and says so', () => {
    const svc = { ...DEMO.services[0], ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 81, targetPort: 8081, protocol: 'TCP' }] };
    const r = restoreSave(version1({ ...demo, services: [svc] }));
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.value.scenario.services[0].ports.map((p) => p.name)).toEqual(['port-1', 'port-2']);
    expect(r.changes).toEqual(['Service default/web: its ports had no names, which Kubernetes requires when a Service has more than one; they are now port-1, port-2']);
  });

  it('a damaged version 1 names the field, as the parser would', () => {
    expect(restoreSave('{"state":{"scenario":{"nodes":"oops"}},"version":1}')).toEqual({
      ok: false,
      problem: { code: 'cluster-refused', issues: [{ document: 'saved state', field: 'scenario.nodes', reason: 'must be a list' }] },
    });
  });

  it('refuses versions it has no migration for, and newer ones, by code', () => {
    expect(restoreSave('{"state":{},"version":0}')).toEqual({ ok: false, problem: { code: 'unknown-version', version: 0 } });
    expect(restoreSave('{"format":"podpath-playground","version":"2"}')).toEqual({ ok: false, problem: { code: 'unknown-version', version: '2' } });
    expect(restoreSave(`{"format":"podpath-playground","version":${SAVE_VERSION + 1},"scenario":[]}`)).toEqual({ ok: false, problem: { code: 'newer-version', version: SAVE_VERSION + 1 } });
    expect(restoreSave('[1,2]')).toEqual({ ok: false, problem: { code: 'not-a-save' } });
    expect(restoreSave('{"theme":"dark"}')).toEqual({ ok: false, problem: { code: 'not-a-save' } });
  });

  it('lets go of a packet or positions that do not read, and says so', () => {
    const text = JSON.stringify({ ...JSON.parse(saveText({ scenario: demo, positions: {}, request: null, showReply: false, speed: 1.5 })), positions: { 'node:node-1': { x: 'a' } }, request: { from: { kind: 'pod' } } });
    const r = restoreSave(text);
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.value.positions).toEqual({});
    expect(r.value.request).toBeNull();
    expect(r.changes).toEqual(['1 saved position could not be read: that element is placed afresh', 'the saved packet could not be read: press Send packet to choose its ends again']);
  });

  it('a cluster in memory (an undo step) reads back equal; a broken one is refused', () => {
    const back = restoreScenario(demo);
    expect(back.ok && back.value).toEqual(demo);
    const broken = restoreScenario({ ...demo, cluster: { ...demo.cluster, cni: 'weave' as never } });
    expect(broken.ok).toBe(false);
  });

  it('tells a save from a scenario file', () => {
    expect(looksLikeSave(saveText({ scenario: demo, positions: {}, request: null, showReply: false, speed: 1.5 }))).toBe(true);
    expect(looksLikeSave(version1(demo))).toBe(true);
    expect(looksLikeSave('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}')).toBe(false);
    expect(looksLikeSave('apiVersion: v1\nkind: Pod\n')).toBe(false);
  });
});
