import { describe, expect, it } from 'vitest';
import { load, scenarioFile, traceOf } from '../testing/helpers.ts';
import { placesCrossed, scorePrediction } from './predict.ts';
import type { Scenario } from '../model.ts';

const isPodOf = (s: Scenario) => (netns: string) => s.pods.some((p) => `${p.namespace}/${p.name}` === netns);

describe('predict, then reveal: a prediction scored against the trace', () => {
  const demo = load(scenarioFile('demo.yaml'));
  const isPod = isPodOf(demo);
  const toWeb2 = traceOf(demo, 'pod/default/client', 'service/default/web:80', 'tcp', 1);

  it('the places a request crosses, as the canvas draws them (pods, cni0, eth0, flannel.1, the node network)', () => {
    expect(placesCrossed(toWeb2, isPod)).toEqual(['default/client', 'node-1/cni0', 'node-1/eth0', 'node-network', 'node-2/eth0', 'node-2/cni0', 'default/web-2']);
    const vxlan = load(scenarioFile('flannel-vxlan.yaml'));
    const t = traceOf(vxlan, 'pod/default/client', 'service/default/web:80', 'tcp', 1);
    expect(placesCrossed(t, isPodOf(vxlan))).toContain('node-1/flannel.1');
  });

  it('all right', () => {
    const score = scorePrediction(
      toWeb2,
      { answer: 'default/web-2', verdict: 'delivered', source: '10.244.0.2', devices: placesCrossed(toWeb2, isPod) },
      ['answer', 'verdict', 'source', 'devices'],
      isPod,
    );
    expect(score.map((s) => s.right)).toEqual([true, true, true, true]);
    expect(score[2].why).toMatch(/^no hop rewrote the source: 10\.244\.0\.2 is the sender's own address/);
  });

  it('wrong: says what the trace shows and why, from its hops', () => {
    const score = scorePrediction(
      toWeb2,
      { answer: 'default/web-1', verdict: 'refused', source: '10.96.0.11', devices: ['default/client', 'service:default/web', 'node-1/cni0', 'default/web-2'] },
      ['answer', 'verdict', 'source', 'devices'],
      isPod,
    );
    expect(score.map((s) => s.right)).toEqual([false, false, false, false]);
    expect(score[0]).toMatchObject({ said: 'pod default/web-1', truth: 'pod default/web-2' });
    expect(score[0].why).toMatch(/^hop 5 \(node-1 · cni0, dnat\): nat PREROUTING: .*KUBE-SEP-.* rewrites the destination 10\.96\.0\.11:80 → 10\.244\.1\.2:8080.* kube-proxy picks at random among 2 pods; this walk follows one of them\.$/);
    expect(score[1]).toMatchObject({ said: 'refused', truth: 'delivered', why: toWeb2.reason });
    expect(score[2]).toMatchObject({ said: '10.96.0.11', truth: '10.244.0.2' });
    expect(score[3].why).toMatch(/^missed node-1's eth0: hop 7 \(node-1 · eth0, route\): forwarding: /);
    expect(score[3].why).toMatch(/Service default\/web is not a device: its ClusterIP is only an address that kube-proxy's rules rewrite \(hop 5 \(node-1 · cni0, dnat\)\)$/);
    expect(score[3].why.split("\n")).toHaveLength(5);
  });

  it('a masqueraded NodePort: the source the pod sees, and which hop rewrote it', () => {
    const s = load(scenarioFile('bridge-hostgw.yaml'));
    const t = traceOf(s, 'external', 'node/node-a:30080', 'tcp', 1);
    const [source] = scorePrediction(t, { source: '192.168.56.254' }, ['source'], isPodOf(s));
    expect(source).toMatchObject({ right: false, truth: '192.168.56.10' });
    expect(source.why).toMatch(/^hop 8 \(node-a · eth0, snat\): nat POSTROUTING: POSTROUTING → KUBE-POSTROUTING MASQUERADEs the marked packet: source 192\.168\.56\.254 → 192\.168\.56\.10/);
  });

  it('dropped: no pod answers and nothing receives it — predicting so is right', () => {
    const s = load(scenarioFile('bridge-hostgw.yaml'));
    const t = traceOf(s, 'external', '10.244.0.3:8080');
    const score = scorePrediction(t, { answer: null, verdict: 'dropped', source: null }, ['answer', 'verdict', 'source'], isPodOf(s));
    expect(score.map((x) => x.right)).toEqual([true, true, true]);
    expect(score[2]).toMatchObject({ truth: 'nothing receives it', said: 'nothing receives it' });
    expect(score[2].why).toMatch(/^nothing receives the packet: no route to 10\.244\.0\.3 in the external client/);
    // Not answering is never right.
    expect(scorePrediction(t, {}, ['answer', 'source'], isPodOf(s)).map((x) => x.right)).toEqual([false, false]);
  });
});
