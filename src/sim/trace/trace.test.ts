import { describe, expect, it } from 'vitest';
import type { Hop } from './types.ts';
import { compile } from '../index.ts';
import { cluster, load, node, pod, podIP, scenarioFile, service, traceOf } from '../testing/helpers.ts';
import { dumpLists, dumpStream, kubeadmFlannel } from '../testing/dumps.ts';

const where = (hops: Hop[]) => hops.map((h) => `${h.netns}:${h.device}:${h.action}`);
const touches = (hops: Hop[], netns: string, device: string) => hops.some((h) => h.netns === netns && h.device === device);
const http = [{ name: 'http', containerPort: 8080 }];

describe('pod to pod on one node', () => {
  const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('a', 'n1', {}) + pod('b', 'n1', {}, http));
  const t = traceOf(s, 'pod/default/a', 'pod/default/b:8080');
  it('goes through cni0 and never touches the node eth0', () => {
    expect(t.verdict).toBe('delivered');
    expect(t.endpoint).toBe('default/b');
    expect(touches(t.hops, 'n1', 'cni0')).toBe(true);
    expect(touches(t.hops, 'n1', 'eth0')).toBe(false);
    expect(t.hops.some((h) => h.packet.outer)).toBe(false);
  });
  it('is bridged: the route in the pod is on-link, cni0 forwards by FDB', () => {
    expect(where(t.hops)).toEqual([
      'default/a:eth0:send',
      'default/a:eth0:route',
      'default/a:eth0:transmit',
      expect.stringMatching(/^n1:veth[0-9a-f]{8}:receive$/),
      'n1:cni0:bridge',
      expect.stringMatching(/^n1:veth[0-9a-f]{8}:transmit$/),
      'default/b:eth0:receive',
      'default/b:eth0:deliver',
    ]);
    expect(t.hops[1].matched).toBe('10.244.0.0/24 dev eth0 proto kernel scope link src 10.244.0.2');
    expect(t.hops.every((h) => h.packet.src === '10.244.0.2:43512' && h.packet.dst === '10.244.0.3:8080')).toBe(true);
  });
  it('comes back with the reply', () => {
    expect(t.reply.at(-1)).toMatchObject({ netns: 'default/a', action: 'deliver', packet: { src: '10.244.0.3:8080', dst: '10.244.0.2:43512' } });
  });
});

describe('pod to pod across nodes', () => {
  const build = (cni: string) => load(cluster(cni) + node('n1') + node('n2') + pod('a', 'n1', {}) + pod('b', 'n2', {}, http));
  it('bridge-hostgw: plain routes via the other node over eth0, no encapsulation', () => {
    const t = traceOf(build('bridge-hostgw'), 'pod/default/a', 'pod/default/b:8080');
    expect(t.verdict).toBe('delivered');
    expect(t.hops.find((h) => h.netns === 'n1' && h.action === 'route')?.matched).toBe('10.244.1.0/24 via 192.168.56.11 dev eth0');
    expect(touches(t.hops, 'n1', 'eth0') && touches(t.hops, 'n2', 'eth0')).toBe(true);
    expect(t.hops.some((h) => h.packet.outer || h.device === 'flannel.1')).toBe(false);
  });
  it('flannel-vxlan: through flannel.1, inside UDP 8472 VNI 1 between the node IPs', () => {
    const s = build('flannel-vxlan');
    const t = traceOf(s, 'pod/default/a', 'pod/default/b:8080');
    expect(t.verdict).toBe('delivered');
    const vtepMac = (n: string) => compile(s).netns(n)!.devices.find((d) => d.name === 'flannel.1')!.mac;
    const route = t.hops.find((h) => h.netns === 'n1' && h.action === 'route');
    expect(route?.matched).toBe('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink');
    const encap = t.hops.find((h) => h.action === 'encapsulate')!;
    expect(encap).toMatchObject({ netns: 'n1', device: 'flannel.1' });
    // The inner frame goes from n1's VTEP MAC to n2's, as flannel.1's permanent neighbour entry says.
    expect(encap.packet.outer).toEqual({ src: '192.168.56.10', dst: '192.168.56.11', proto: 'udp', sport: expect.any(Number), dport: 8472, vni: 1, innerEth: { src: vtepMac('n1'), dst: vtepMac('n2') } });
    // The outer source port is a hash of the inner flow, in the local port range.
    expect(encap.packet.outer!.sport).toBeGreaterThanOrEqual(32768);
    expect(encap.packet.outer!.sport).toBeLessThan(61000);
    expect(encap.packet.dst).toBe('10.244.1.2:8080'); // the inner packet is untouched
    const decap = t.hops.findIndex((h) => h.action === 'decapsulate');
    expect(t.hops[decap]).toMatchObject({ netns: 'n2', device: 'flannel.1' });
    expect(t.hops[decap].packet.outer).toBeUndefined();
    // Encapsulated exactly between flannel.1 on n1 and flannel.1 on n2.
    const encIdx = t.hops.indexOf(encap);
    expect(t.hops.slice(encIdx, decap).every((h) => h.packet.outer)).toBe(true);
  });
  it('vpc: unencapsulated, pod addresses from the node network, no cni0', () => {
    const s = build('vpc');
    const t = traceOf(s, 'pod/default/a', 'pod/default/b:8080');
    expect(t.verdict).toBe('delivered');
    expect(t.hops.some((h) => h.device === 'cni0' || h.packet.outer)).toBe(false);
    // No route per remote pod: it is on-link, and the VPC fabric answers ARP with the MAC of the node holding it.
    expect(t.hops.find((h) => h.netns === 'n1' && h.action === 'route')?.matched).toBe('192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.10');
    const n2eth0 = compile(s).netns('n2')!.devices.find((d) => d.name === 'eth0')!.mac;
    expect(t.hops.find((h) => h.netns === 'n1' && h.action === 'transmit')?.why).toContain(`the VPC fabric answers that ${podIP(s, 'b')} is at ${n2eth0}, eth0 of node n2`);
    expect(t.hops.find((h) => h.netns === 'node-network')?.why).toMatch(/^the VPC fabric delivers the frame to node n2, .*a real VPC routes it in its software-defined network/);
    expect(t.hops.find((h) => h.netns === 'n2' && h.action === 'route')?.matched).toMatch(new RegExp(`^${podIP(s, 'b')} dev veth[0-9a-f]{8} scope host$`));
  });
});

describe('refused and dropped', () => {
  const s = load(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}) + pod('b', 'n1', {}, [{ containerPort: 53, protocol: 'UDP' }, ...http]));
  it('TCP to a port nothing listens on: RST, refused at the pod', () => {
    const t = traceOf(s, 'pod/default/a', 'pod/default/b:9999');
    expect([t.verdict, t.code]).toEqual(['refused', 'port-closed']);
    expect(t.endpoint).toBe('default/b');
    expect(t.reason).toContain('TCP RST');
    expect(t.reply).toEqual([]);
  });
  it('UDP to a closed port: ICMP port unreachable; to an open one: delivered', () => {
    expect(traceOf(s, 'pod/default/a', 'pod/default/b:54', 'udp').reason).toContain('ICMP port unreachable');
    expect(traceOf(s, 'pod/default/a', 'pod/default/b:53', 'udp').verdict).toBe('delivered');
    // TCP to a port declared only for UDP is refused.
    expect(traceOf(s, 'pod/default/a', 'pod/default/b:53', 'tcp').verdict).toBe('refused');
  });
  it('an address no one owns inside the podCIDR: ARP on cni0 gets no answer, so the pod never sends it', () => {
    const t = traceOf(s, 'pod/default/a', '10.244.0.99:80');
    expect([t.verdict, t.code]).toEqual(['dropped', 'no-arp-answer']);
    expect(t.hops.at(-1)).toMatchObject({ netns: 'default/a', device: 'eth0', action: 'drop' });
    expect(t.reason).toBe('nothing on cni0 answers ARP for 10.244.0.99: no pod on n1 has that address, so pod default/a never sends the packet; its connect fails: No route to host');
    // UDP has no connect to fail: the datagram is never sent and nothing comes back.
    expect(traceOf(s, 'pod/default/a', '10.244.0.99:53', 'udp').reason).toContain('the UDP send succeeds, and nothing ever comes back');
  });
  it('an address outside the cluster: the node sends it to its default gateway, outside the cluster', () => {
    const t = traceOf(s, 'pod/default/a', '203.0.113.9:443');
    expect([t.verdict, t.code]).toEqual(['left-cluster', 'to-default-gateway']);
    expect(t.hops.at(-1)!.action).toBe('leave');
    expect(t.reason).toContain('podpath cannot say whether it is delivered, refused or dropped there');
    expect(t.endpoint).toBeUndefined();
    expect(t.reason).toContain('default gateway 192.168.56.1');
  });
  it('on a dump that does not show the nodes\' gateway, the default gateway is said to be assumed; on a file of its own it is not', () => {
    expect(traceOf(s, 'pod/default/a', '203.0.113.9:443').hops.some((h) => h.assumed?.because === 'node-gateway')).toBe(false);
    const dump = load(dumpStream(dumpLists(kubeadmFlannel())));
    const t = traceOf(dump, 'pod/default/web-1', '203.0.113.9:443');
    expect(t.verdict).toBe('left-cluster');
    const route = t.hops.find((h) => h.assumed?.because === 'node-gateway')!;
    expect(route).toMatchObject({ netns: 'worker-1', action: 'route', assumed: { because: 'node-gateway', gateway: '192.168.122.1' } });
    expect(route.why).toContain("assumed: the file shows the nodes' addresses but not their default gateway");
    expect(t.reason).toContain('192.168.122.1 (an address podpath assumes');
  });
  it('the external client has no route to pod addresses', () => {
    const t = traceOf(s, 'external', 'pod/default/b:8080');
    expect([t.verdict, t.code]).toEqual(['dropped', 'no-route']);
    expect(t.reason).toContain('no route to 10.244.0.3 in the external client');
  });
});

describe('Services through kube-proxy', () => {
  const s = load(scenarioFile('bridge-hostgw.yaml'));
  it('ClusterIP: DNAT in the source node\'s KUBE-SERVICES, candidates are every endpoint', () => {
    const t = traceOf(s, 'pod/default/client', 'service/default/api:80');
    expect(t.verdict).toBe('delivered');
    expect(t.candidates).toEqual(['default/api-1', 'default/api-2']);
    const dnat = t.hops.find((h) => h.action === 'dnat')!;
    expect(dnat).toMatchObject({ netns: 'node-a', device: 'cni0' });
    expect(dnat.why).toMatch(/KUBE-SERVICES → KUBE-SVC-[A-Z2-7]{16} → KUBE-SEP-[A-Z2-7]{16}/);
    expect(dnat.matched).toMatch(/^-A KUBE-SEP-[A-Z2-7]{16} -p tcp -m comment --comment "default\/api:http" -m tcp -j DNAT --to-destination 10\.244\.0\.3:8080$/);
    expect(dnat.packet.dst).toBe('10.244.0.3:8080');
    expect(t.hops[0].packet.dst).toBe('10.96.0.11:80');
    // The reply is un-DNATed by conntrack: the client sees the ClusterIP answer.
    expect(t.reply.some((h) => h.action === 'undo-nat')).toBe(true);
    expect(t.reply.at(-1)!.packet.src).toBe('10.96.0.11:80');
  });
  it('the statistic rules can pick each endpoint; each walk lands on a candidate', () => {
    const endpoints = [0, 1].map((i) => traceOf(s, 'pod/default/client', 'service/default/api:80', 'tcp', i).endpoint);
    expect(endpoints).toEqual(['default/api-1', 'default/api-2']);
  });
  it('a named targetPort resolves per pod (UDP dns → 5353)', () => {
    const t = traceOf(s, 'pod/default/client', 'service/default/api:53', 'udp', 1);
    expect(t.verdict).toBe('delivered');
    expect(t.hops.find((h) => h.action === 'dnat')!.packet.dst).toBe('10.244.1.2:5353');
  });
  it('no endpoints: REJECTed by kube-proxy\'s filter rule', () => {
    const t = traceOf(s, 'pod/default/client', 'service/default/orphan:80');
    expect([t.verdict, t.code]).toEqual(['refused', 'reject-no-endpoints']);
    expect(t.reason).toBe('filter FORWARD → KUBE-SERVICES: Service default/orphan has no ready endpoint for port 80: its selector app=nothing-has-this-label matches no pod in namespace default; so kube-proxy REJECTs it (ICMP port unreachable: the client sees connection refused)');
    expect(t.candidates).toEqual([]);
    expect(t.hops.at(-1)!.matched).toBe('-A KUBE-SERVICES -d 10.96.0.13/32 -p tcp -m comment --comment "default/orphan has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable');
  });
  it('NodePort works on every node, with SNAT when the endpoint is on another node', () => {
    for (const target of ['node/node-a:30080', 'node/node-b:30080']) {
      for (const i of [0, 1]) {
        const t = traceOf(s, 'external', target, 'tcp', i);
        expect(t.verdict).toBe('delivered');
        const entryNode = target.includes('node-a') ? 'node-a' : 'node-b';
        const endpointNode = t.endpoint === 'default/api-1' ? 'node-a' : 'node-b';
        const snat = t.hops.find((h) => h.action === 'snat');
        // kube-proxy masquerades all external NodePort traffic (KUBE-EXT-… → KUBE-MARK-MASQ).
        expect(snat?.netns).toBe(entryNode);
        if (entryNode !== endpointNode) expect(snat?.packet.src).toBe(target.includes('node-a') ? '192.168.56.10:43512' : '192.168.56.11:43512');
        expect(t.reply.at(-1)).toMatchObject({ netns: 'external', action: 'deliver' });
        expect(t.reply.at(-1)!.packet.src).toBe(`${target.includes('node-a') ? '192.168.56.10' : '192.168.56.11'}:30080`);
      }
    }
  });
  it('hostPort only on its own node', () => {
    const onOwn = traceOf(s, 'external', 'node/node-b:8080');
    expect(onOwn.verdict).toBe('delivered');
    expect(onOwn.endpoint).toBe('default/ingress');
    expect(onOwn.hops.find((h) => h.action === 'dnat')!.matched).toMatch(/^-A CNI-DN-[0-9a-f]{21} -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10\.244\.1\.3:80$/);
    const onOther = traceOf(s, 'external', 'node/node-a:8080');
    expect(onOther.verdict).toBe('refused');
    expect(onOther.endpoint).toBeUndefined();
    expect(onOther.reason).toContain('nothing listens on 192.168.56.10:8080/TCP in node node-a');
  });
  it('a numeric targetPort no container declares: containerPort is informational, so the pod is taken to listen there, and the hop says why', () => {
    const x = load(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}) + pod('b', 'n1', { app: 'b' }, http) + service('s', { app: 'b' }, [{ port: 80, targetPort: 9090 }]));
    const t = traceOf(x, 'pod/default/a', 'service/default/s:80');
    expect(t.hops.some((h) => h.action === 'dnat' && h.packet.dst === '10.244.0.3:9090')).toBe(true);
    expect(t.verdict).toBe('delivered');
    expect(t.endpoint).toBe('default/b');
    const deliver = t.hops.find((h) => h.action === 'deliver')!;
    expect(deliver.assumed).toEqual({ because: 'service-target-port', service: 'default/s' });
    expect(deliver.why).toContain('no container declares 9090; Kubernetes does not require it, so podpath assumes the pod listens there because Service default/s targets it');
    // A port neither declared nor targeted stays closed.
    const closed = traceOf(x, 'pod/default/a', 'pod/default/b:9091');
    expect([closed.verdict, closed.code]).toEqual(['refused', 'port-closed']);
    expect(closed.reason).toContain('it is taken to listen on 8080/TCP, 9090/TCP only');
    expect(closed.reason).toContain('as far as the file shows');
    // A declared port is delivered with no assumption.
    expect(traceOf(x, 'pod/default/a', 'pod/default/b:8080').hops.find((h) => h.action === 'deliver')?.assumed).toBeUndefined();
  });
  it('a named targetPort: pods without that port name are not endpoints', () => {
    const x = load(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}) + pod('b', 'n1', { app: 'b' }, http) + pod('c', 'n1', { app: 'b' }, [{ containerPort: 8080 }]) + service('s', { app: 'b' }, [{ port: 80, targetPort: 'http' }]));
    expect(traceOf(x, 'pod/default/a', 'service/default/s:80').candidates).toEqual(['default/b']);
  });
  it('a pod reaching itself through its Service: hairpin, masqueraded to the cni0 address', () => {
    const x = load(cluster('flannel-vxlan') + node('n1') + pod('b', 'n1', { app: 'b' }, http) + service('s', { app: 'b' }, [{ port: 80, targetPort: 8080 }]));
    const t = traceOf(x, 'pod/default/b', 'service/default/s:80');
    expect(t.verdict).toBe('delivered');
    expect(t.hops.find((h) => h.action === 'snat')!.packet.src).toBe('10.244.0.1:43512');
    expect(t.hops.find((h) => h.action === 'bridge' && h.why.includes('hairpin'))).toBeDefined();
  });
  it('from a node to its own NodePort: the source is the local address itself (checked in the kernel)', () => {
    const t = traceOf(s, 'node/node-a', 'node/node-a:30080', 'tcp', 0);
    expect(t.verdict).toBe('delivered');
    expect(t.hops[0].packet.src).toBe('192.168.56.10:43512');
    expect(t.hops.find((h) => h.action === 'dnat')!.why).toContain('nat OUTPUT');
    expect(t.reason).not.toContain('reply');
    expect(t.reply.at(-1)).toMatchObject({ netns: 'node-a', action: 'deliver', packet: { src: '192.168.56.10:30080', dst: '192.168.56.10:43512' } });
  });
  it('from a node to its own hostPort: portmap DNATs in OUTPUT, the pod sees the node address', () => {
    const t = traceOf(s, 'node/node-b', 'node/node-b:8080');
    expect(t.verdict).toBe('delivered');
    expect(t.endpoint).toBe('default/ingress');
    expect(t.hops.at(-1)!.packet.src).toBe('192.168.56.11:43512');
  });
  it('from a node to its own NodePort with no endpoints: REJECTed in filter INPUT (KUBE-EXTERNAL-SERVICES)', () => {
    const x = load(cluster('bridge-hostgw') + node('n1') + service('s', { app: 'none' }, [{ port: 80, nodePort: 30000 }], 'NodePort'));
    const t = traceOf(x, 'node/n1', 'node/n1:30000');
    expect([t.verdict, t.code]).toEqual(['refused', 'reject-no-endpoints']);
    expect(t.hops.at(-1)!.matched).toMatch(/^-A KUBE-EXTERNAL-SERVICES .*--dport 30000 -j REJECT/);
  });
  it('from a node: OUTPUT chain DNAT, source masqueraded to the outgoing device address', () => {
    const t = traceOf(s, 'node/node-a', 'service/default/api:80', 'tcp', 1);
    expect(t.verdict).toBe('delivered');
    expect(t.hops.find((h) => h.action === 'dnat')!.why).toContain('nat OUTPUT');
    expect(t.reply.at(-1)!.packet.src).toBe('10.96.0.11:80');
  });
});

describe('the account of a chain walk', () => {
  it('names the jumps that led to the verdict, and the chains that returned on the way', () => {
    const s = load(scenarioFile('bridge-hostgw.yaml'));
    const np = traceOf(s, 'external', 'node/node-a:30080', 'tcp', 0).hops.find((h) => h.action === 'dnat')!;
    expect(np.why).toMatch(/^nat PREROUTING: PREROUTING → KUBE-SERVICES → KUBE-NODEPORTS → KUBE-EXT-[A-Z2-7]{16} → KUBE-SVC-[A-Z2-7]{16} → KUBE-SEP-[A-Z2-7]{16} \(KUBE-MARK-MASQ set the masquerade mark and returned\) rewrites/);
    const hp = traceOf(s, 'external', 'node/node-b:8080').hops.find((h) => h.action === 'dnat')!;
    expect(hp.why).toMatch(/^nat PREROUTING: PREROUTING → CNI-HOSTPORT-DNAT → CNI-DN-[0-9a-f]{21} \(KUBE-SERVICES → KUBE-NODEPORTS returned without a verdict\) rewrites/);
  });
});

describe('answers that cannot come back, and nodes reached on their other addresses', () => {
  const s = load(scenarioFile('bridge-hostgw.yaml'));
  it('a pod to the external client without flannel\'s ip-masq: refused there, but the RST has no route back to the pod (a timeout)', () => {
    const t = traceOf(load(scenarioFile('bridge-hostgw.yaml').replace('cni: bridge-hostgw', 'cni: bridge-hostgw\n  ipMasq: false')), 'pod/default/client', '192.168.56.254:80');
    expect(t.hops.some((h) => h.action === 'snat')).toBe(false);
    expect([t.verdict, t.code]).toEqual(['dropped', 'answer-unsent']);
    expect(t.reason).toContain('external has no route back to 10.244.0.2');
  });
  it('a NodePort through the node\'s cni0 address has the Service\'s candidates (checked in the kernel)', () => {
    const t = traceOf(s, 'pod/default/client', '10.244.0.1:30080', 'tcp', 1);
    expect(t.candidates).toEqual(['default/api-1', 'default/api-2']);
    expect(t.endpoint).toBe('default/api-2');
  });
});

describe("flannel's ip-masq (flanneld --ip-masq): pod traffic leaving the cluster network is masqueraded to the node", () => {
  for (const cni of ['flannel-vxlan', 'bridge-hostgw']) {
    const s = load(cluster(cni) + node('n1') + node('n2') + pod('a', 'n1', {}) + pod('b', 'n2', {}, http));
    it(`${cni}: a pod to 8.8.8.8 leaves eth0 with the node's address (FLANNEL-POSTRTG, no mark)`, () => {
      const t = traceOf(s, 'pod/default/a', '8.8.8.8:53', 'udp');
      const snat = t.hops.find((h) => h.action === 'snat')!;
      expect(snat).toMatchObject({ netns: 'n1', device: 'eth0' });
      expect(snat.packet.src).toBe('192.168.56.10:43512');
      expect(snat.matched).toBe('-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully');
      expect(snat.why).toMatch(/^nat POSTROUTING: POSTROUTING → FLANNEL-POSTRTG /);
      expect(snat.why).not.toContain('marked');
      expect(t.hops.at(-1)!.packet.src).toBe('192.168.56.10:43512');
      expect(t.verdict).toBe('left-cluster'); // out by the node network's router: beyond it is not modelled
    });
    it(`${cni}: a pod to the external client on a closed port is refused: the RST comes back to the node, conntrack hands it to the pod`, () => {
      const t = traceOf(s, 'pod/default/a', '192.168.56.254:80');
      expect(t.hops.find((h) => h.action === 'snat')!.packet.src).toBe('192.168.56.10:43512');
      expect(t.verdict).toBe('refused');
    });
    it(`${cni}: pod to pod is not masqueraded, on one node or across nodes`, () => {
      const t = traceOf(s, 'pod/default/a', 'pod/default/b:8080');
      expect(t.verdict).toBe('delivered');
      expect(t.hops.some((h) => h.action === 'snat')).toBe(false);
      expect(t.hops.at(-1)!.packet.src).toBe('10.244.0.2:43512');
    });
  }
  it('ipMasq: false leaves the pod address on the wire', () => {
    const s = load(cluster('flannel-vxlan', { ipMasq: false }) + node('n1') + pod('a', 'n1', {}));
    const t = traceOf(s, 'pod/default/a', '8.8.8.8:53', 'udp');
    expect(t.hops.some((h) => h.action === 'snat')).toBe(false);
    expect(t.hops.at(-1)!.packet.src).toBe('10.244.0.2:43512');
  });
  it("kube-proxy's masquerade still says the packet was marked", () => {
    const x = load(cluster('flannel-vxlan') + node('n1') + pod('b', 'n1', { app: 'b' }, http) + service('s', { app: 'b' }, [{ port: 80, targetPort: 8080 }]));
    const snat = traceOf(x, 'pod/default/b', 'service/default/s:80').hops.find((h) => h.action === 'snat')!;
    expect(snat.matched).toMatch(/^-A KUBE-POSTROUTING .* -j MASQUERADE --random-fully$/);
    expect(snat.why).toContain('MASQUERADEs the marked packet');
  });
});
