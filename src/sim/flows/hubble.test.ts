// The flows Hubble would show, from the hops Cilium's programs decide: where the
// aggregated trace points fall, their direction as Hubble decodes it, and their shape.
import { describe, expect, it } from 'vitest';
import { load, scenarioFile, traceOf } from '../testing/helpers.ts';
import { hasHubble, hubbleRecords } from './hubble.ts';

const cilium = load(scenarioFile('cilium-tunnel.yaml'));
const at = (r: ReturnType<typeof hubbleRecords>[number]) => `${r.node_name} ${r.flow.trace_observation_point} ${r.flow.traffic_direction} ${r.flow.is_reply ? 'reply' : 'request'} ${r.flow.Summary}`;

describe('Hubble flows (Cilium)', () => {
  it('across nodes: TO_OVERLAY where the pod sends, TO_ENDPOINT where it is delivered, each way; directions as Hubble decodes them', () => {
    const t = traceOf(cilium, 'pod/default/client', 'pod/default/web-2:8080');
    const records = hubbleRecords(cilium, t, Date.UTC(2026, 11, 5, 10, 0, 0));
    expect(records.map(at)).toEqual([
      'node-1 TO_OVERLAY EGRESS request TCP Flags: SYN',
      'node-2 TO_ENDPOINT INGRESS request TCP Flags: SYN',
      'node-2 TO_OVERLAY INGRESS reply TCP Flags: SYN, ACK',
      'node-1 TO_ENDPOINT EGRESS reply TCP Flags: SYN, ACK',
    ]);
    const [first, second] = records;
    expect(first.flow.event_type).toEqual({ type: 4, sub_type: 4 });
    expect(second.flow.event_type).toEqual({ type: 4 });
    expect(first.flow.l4).toEqual({ TCP: { source_port: 43512, destination_port: 8080, flags: { SYN: true } } });
    expect(first.flow.IP).toEqual({ source: '10.244.0.2', destination: '10.244.1.2', ipVersion: 'IPv4' });
    // The endpoint ID is known on the endpoint's own node only.
    expect(first.flow.source).toMatchObject({ ID: 1, namespace: 'default', pod_name: 'client', labels: ['k8s:app=client', 'k8s:io.kubernetes.pod.namespace=default'] });
    expect(first.flow.destination.ID).toBeUndefined();
    expect(second.flow.destination.ID).toBe(1);
    expect(first.time).toBe('2026-12-05T10:00:00.000005Z');
    expect(first.flow.time).toBe(first.time);
  });

  it('same node: one TO_ENDPOINT each way; to the node itself, TO_STACK (pass_to_stack)', () => {
    const same = hubbleRecords(cilium, traceOf(cilium, 'pod/default/client', 'pod/default/web-1:8080'));
    expect(same.map(at)).toEqual(['node-1 TO_ENDPOINT INGRESS request TCP Flags: SYN', 'node-1 TO_ENDPOINT EGRESS reply TCP Flags: SYN, ACK']);
    const toNode = hubbleRecords(cilium, traceOf(cilium, 'pod/default/client', 'node/node-1:10250'));
    expect(toNode.map(at)[0]).toBe('node-1 TO_STACK EGRESS request TCP Flags: SYN');
    expect(toNode[0].flow.destination).toEqual({ identity: 1, labels: ['reserved:host'] });
  });

  it('only Cilium runs Hubble', () => {
    expect(hasHubble(cilium)).toBe(true);
    expect(hasHubble(load(scenarioFile('flannel-vxlan.yaml')))).toBe(false);
  });
  it("a NodePort from outside to a backend on the other node: bpf_host's SNAT into the tunnel reports TO_OVERLAY as world, the backend sees world (the VNI), and its reply goes to a remote-node address; natively the other node's address is remote-node", () => {
    const t = traceOf(cilium, 'external', 'node/node-1:30080', 'tcp', 1);
    const who = (r: ReturnType<typeof hubbleRecords>[number]) => `${r.node_name} ${r.flow.trace_observation_point} ${r.flow.IP.source}/${r.flow.source.identity} -> ${r.flow.IP.destination}/${r.flow.destination.identity}`;
    expect(hubbleRecords(cilium, t, 0).map(who)).toEqual([
      'node-1 TO_OVERLAY 10.244.0.1/2 -> 10.244.1.2/257',
      'node-2 TO_ENDPOINT 10.244.0.1/2 -> 10.244.1.2/257',
      'node-2 TO_OVERLAY 10.244.1.2/257 -> 10.244.0.1/6',
    ]);
    const native = load(scenarioFile('cilium-tunnel.yaml').replace('routingMode: tunnel', 'routingMode: native\n    autoDirectNodeRoutes: true'));
    const n = hubbleRecords(native, traceOf(native, 'external', 'node/node-1:30080', 'tcp', 1), 0);
    expect(n.map(who)).toEqual(['node-2 TO_ENDPOINT 192.168.56.10/6 -> 10.244.1.2/257', 'node-2 TO_STACK 10.244.1.2/257 -> 192.168.56.10/6']);
    expect(n[0].flow.source.labels).toEqual(['reserved:remote-node']);
  });
});
