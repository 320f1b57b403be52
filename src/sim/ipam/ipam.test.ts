import { describe, expect, it } from 'vitest';
import { allocate } from './index.ts';
import { cluster, issuesOf, load, node, pod, service } from '../testing/helpers.ts';
import type { Scenario } from '../model.ts';

const web = (n: number, nodeName = 'n1') => Array.from({ length: n }, (_, i) => pod(`p${i}`, nodeName, { app: 'web' })).join('');

describe('node addresses and podCIDRs', () => {
  it('gives nodes the first free /24 blocks of the cluster podCIDR in document order, and node IPs from .10', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + node('n3'));
    expect(s.nodes.map((n) => [n.name, n.internalIP, n.podCIDR])).toEqual([
      ['n1', '192.168.56.10', '10.244.0.0/24'],
      ['n2', '192.168.56.11', '10.244.1.0/24'],
      ['n3', '192.168.56.12', '10.244.2.0/24'],
    ]);
  });
  it('keeps a preset spec.podCIDR and InternalIP, and goes around them', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + node('n2', 'spec: {podCIDR: 10.244.0.0/24}\nstatus: {addresses: [{type: InternalIP, address: 192.168.56.10}]}\n'));
    expect(s.nodes.map((n) => [n.internalIP, n.podCIDR])).toEqual([
      ['192.168.56.11', '10.244.1.0/24'],
      ['192.168.56.10', '10.244.0.0/24'],
    ]);
  });
  it('honours nodeCIDRMaskSize', () => {
    const s = load(cluster('bridge-hostgw', { nodeCIDRMaskSize: 26 }) + node('n1') + node('n2'));
    expect(s.nodes.map((n) => n.podCIDR)).toEqual(['10.244.0.0/26', '10.244.0.64/26']);
  });
});

describe('pod IPs, as host-local hands them out', () => {
  it('skips the cni0 gateway .1 and hands out .2, .3, … in order', () => {
    const s = load(cluster('bridge-hostgw') + node('n1') + web(3));
    expect(s.pods.map((p) => p.podIP)).toEqual(['10.244.0.2', '10.244.0.3', '10.244.0.4']);
    expect(s.nodes[0].lastReservedIP).toBe('10.244.0.4');
  });
  it('never renumbers a pod when another is removed, and does not reuse the freed address at once', () => {
    const s = load(cluster('bridge-hostgw') + node('n1') + web(3));
    const removed: Scenario = { ...s, pods: s.pods.filter((p) => p.name !== 'p1') };
    removed.pods.push({ namespace: 'default', name: 'new', labels: {}, ports: [], nodeName: 'n1' });
    const again = allocate(removed);
    if (!again.ok) throw new Error('allocate failed');
    expect(again.value.pods.map((p) => [p.name, p.podIP])).toEqual([
      ['p0', '10.244.0.2'],
      ['p2', '10.244.0.4'],
      ['new', '10.244.0.5'],
    ]);
  });
  it('wraps around after the end of the range and never uses the broadcast address', () => {
    // A /29 has .1 (gateway) .2-.6 usable and .7 broadcast.
    const s = load(cluster('bridge-hostgw', { nodeCIDRMaskSize: 29 }) + node('n1') + web(5));
    expect(s.pods.map((p) => p.podIP)).toEqual(['10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.0.5', '10.244.0.6']);
    const freed: Scenario = { ...s, pods: s.pods.filter((p) => p.name !== 'p0') };
    freed.pods.push({ namespace: 'default', name: 'wrap', labels: {}, ports: [], nodeName: 'n1' });
    const again = allocate(freed);
    expect(again.ok && again.value.pods.at(-1)!.podIP).toBe('10.244.0.2');
  });
  it('keeps status.podIP from a kubectl dump', () => {
    const dump = cluster('flannel-vxlan') + node('n1', 'spec: {podCIDR: 10.244.3.0/24}\n') + `---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {nodeName: n1, containers: []}\nstatus: {podIP: 10.244.3.77}\n` + pod('b', 'n1', {});
    const s = load(dump);
    expect(s.pods.map((p) => p.podIP)).toEqual(['10.244.3.77', '10.244.3.2']);
  });
  it('vpc: pods take free node-network addresses, never a node\'s', () => {
    const s = load(cluster('vpc') + node('n1') + node('n2') + pod('a', 'n1', {}) + pod('b', 'n2', {}) + pod('c', 'n1', {}));
    expect(s.nodes.map((n) => [n.internalIP, n.podCIDR])).toEqual([
      ['192.168.56.10', undefined],
      ['192.168.56.11', undefined],
    ]);
    expect(s.pods.map((p) => p.podIP)).toEqual(['192.168.56.12', '192.168.56.13', '192.168.56.14']);
  });
});

describe('Service addresses', () => {
  it('reserves the first address for default/kubernetes, .10 for kube-dns, and hands out the rest from .11', () => {
    const s = load(
      cluster('flannel-vxlan') + node('n1') + service('a', { app: 'a' }, [{ port: 80 }]) +
        `---\napiVersion: v1\nkind: Service\nmetadata: {name: kube-dns, namespace: kube-system}\nspec: {selector: {k8s-app: kube-dns}, ports: [{name: dns, port: 53, protocol: UDP}]}\n` +
        service('b', { app: 'b' }, [{ port: 80 }], 'ClusterIP', { clusterIP: '10.96.0.11' }),
    );
    expect(s.services.map((v) => [v.name, v.clusterIP])).toEqual([
      ['a', '10.96.0.12'],
      ['kube-dns', '10.96.0.10'],
      ['b', '10.96.0.11'],
    ]);
  });
  it('hands out NodePorts from 30000 upward around explicit ones', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + service('a', {}, [{ port: 80 }], 'NodePort') + service('b', {}, [{ port: 80, nodePort: 30001 }], 'NodePort') + service('c', {}, [{ port: 80 }], 'NodePort'));
    expect(s.services.map((v) => v.ports[0].nodePort)).toEqual([30000, 30001, 30002]);
  });
});

describe('bad input: document, field and reason', () => {
  it('a malformed CIDR, and one that is not a network address', () => {
    expect(issuesOf(cluster('flannel-vxlan', { podCIDR: '10.244.0/16' }) + node('n1'))).toEqual([
      { document: 'Cluster', field: 'spec.podCIDR', reason: expect.stringContaining('"10.244.0/16" is not a CIDR block') },
    ]);
    expect(issuesOf(cluster('flannel-vxlan', { serviceCIDR: '10.96.0.1/12' }) + node('n1'))[0].reason).toContain('is not a network address: the block is 10.96.0.0/12');
  });
  it('overlapping pod, service and node ranges', () => {
    const issues = issuesOf(cluster('flannel-vxlan', { serviceCIDR: '10.244.128.0/17' }) + node('n1'));
    expect(issues[0]).toMatchObject({ document: 'Cluster', field: 'spec.serviceCIDR' });
    expect(issues[0].reason).toContain('overlaps spec.podCIDR 10.244.0.0/16');
  });
  it('a pod on a node that does not exist', () => {
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + pod('a', 'n9', {}))).toEqual([
      { document: 'Pod/default/a', field: 'spec.nodeName', reason: 'node "n9" does not exist (nodes: n1)' },
    ]);
  });
  it('a full podCIDR names the pod that did not fit', () => {
    // /30: .1 gateway, .2 the only pod address.
    const issues = issuesOf(cluster('bridge-hostgw', { nodeCIDRMaskSize: 30 }) + node('n1') + pod('a', 'n1', {}) + pod('b', 'n1', {}));
    expect(issues).toEqual([{ document: 'Pod/default/b', field: 'status.podIP', reason: "node n1's podCIDR 10.244.0.0/30 is full: pod default/b did not fit" }]);
  });
  it('the cluster podCIDR out of node blocks', () => {
    const issues = issuesOf(cluster('flannel-vxlan', { podCIDR: '10.244.0.0/23' }) + node('n1') + node('n2') + node('n3'));
    expect(issues).toEqual([{ document: 'Node/n3', field: 'spec.podCIDR', reason: expect.stringContaining('the cluster podCIDR 10.244.0.0/23 has no free /24 block left for this node') }]);
  });
  it('two pods with the same hostPort and protocol on one node', () => {
    const issues = issuesOf(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}, [{ containerPort: 80, hostPort: 8080 }]) + pod('b', 'n1', {}, [{ containerPort: 81, hostPort: 8080 }]));
    expect(issues).toEqual([{ document: 'Pod/default/b', field: 'spec.containers[].ports[0].hostPort', reason: 'hostPort 8080/TCP on node n1 is already taken by pod default/a' }]);
  });
  it('the same hostPort on two nodes, or with another protocol, is fine', () => {
    expect(() => load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('a', 'n1', {}, [{ containerPort: 80, hostPort: 8080 }]) + pod('b', 'n2', {}, [{ containerPort: 80, hostPort: 8080 }]) + pod('c', 'n1', {}, [{ containerPort: 53, hostPort: 8080, protocol: 'UDP' }]))).not.toThrow();
  });
  it('an unscheduled pod goes to a node where its hostPort is free (the NodePorts filter)', () => {
    const s = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('a', 'n1', {}, [{ containerPort: 80, hostPort: 8080 }]) + pod('x', 'n2', {}) + pod('y', 'n2', {}) + pod('b', undefined, {}, [{ containerPort: 80, hostPort: 8080 }]));
    expect(s.pods.find((p) => p.name === 'b')!.nodeName).toBe('n2');
    const issues = issuesOf(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}, [{ containerPort: 80, hostPort: 8080 }]) + pod('b', undefined, {}, [{ containerPort: 80, hostPort: 8080 }]));
    expect(issues).toEqual([{ document: 'Pod/default/b', field: 'spec.nodeName', reason: 'no node can run this pod: on every node one of its hostPorts (8080/TCP) is already taken' }]);
  });
  it('a stored status.podIP without spec.nodeName', () => {
    const issues = issuesOf(cluster('flannel-vxlan') + node('n1') + `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.244.0.7}\n`);
    expect(issues).toEqual([{ document: 'Pod/default/p', field: 'status.podIP', reason: expect.stringContaining('is set but spec.nodeName is not') }]);
  });
  it('duplicate names', () => {
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + node('n1'))).toEqual([{ document: 'Node/n1', field: 'metadata.name', reason: 'duplicate name: another Node is already called that' }]);
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + pod('a', 'n1', {}) + pod('a', 'n1', {}))[0].document).toBe('Pod/default/a');
  });
  it('a duplicate or out-of-range nodePort', () => {
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + service('a', {}, [{ port: 80, nodePort: 30080 }], 'NodePort') + service('b', {}, [{ port: 80, nodePort: 30080 }], 'NodePort'))).toEqual([
      { document: 'Service/default/b', field: 'spec.ports[0].nodePort', reason: 'nodePort 30080 is already allocated to Service default/a (one pool for TCP and UDP)' },
    ]);
    // The apiserver's NodePort pool does not look at the protocol.
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + service('a', {}, [{ port: 80, nodePort: 30080 }], 'NodePort') + service('b', {}, [{ port: 80, nodePort: 30080, protocol: 'UDP' }], 'NodePort'))[0].reason).toBe(
      'nodePort 30080 is already allocated to Service default/a (one pool for TCP and UDP)',
    );
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + service('a', {}, [{ port: 80, nodePort: 8080 }], 'NodePort'))[0].reason).toBe('8080 is outside the NodePort range 30000-32767');
  });
  it('NodePorts come from one pool for every protocol; one Service shares a number between TCP and UDP', () => {
    const s = load(
      cluster('flannel-vxlan') +
        node('n1') +
        service('a', {}, [{ name: 'http', port: 80 }, { name: 'alt', port: 81 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }], 'NodePort') +
        service('b', {}, [{ port: 80, protocol: 'UDP' }], 'NodePort') +
        service('c', {}, [{ name: 'x', port: 5353, protocol: 'UDP', nodePort: 31000 }, { name: 'y', port: 5353, nodePort: 31000 }], 'NodePort'),
    );
    expect(s.services.find((v) => v.name === 'a')!.ports.map((p) => p.nodePort)).toEqual([30000, 30001, 30002, 30002]);
    expect(s.services.find((v) => v.name === 'b')!.ports.map((p) => p.nodePort)).toEqual([30003]);
    expect(s.services.find((v) => v.name === 'c')!.ports.map((p) => p.nodePort)).toEqual([31000, 31000]);
  });
  it('a duplicate or out-of-range clusterIP', () => {
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + service('a', {}, [{ port: 80 }], 'ClusterIP', { clusterIP: '10.96.5.5' }) + service('b', {}, [{ port: 80 }], 'ClusterIP', { clusterIP: '10.96.5.5' }))).toEqual([
      { document: 'Service/default/b', field: 'spec.clusterIP', reason: '10.96.5.5 is already allocated to Service default/a' },
    ]);
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + service('a', {}, [{ port: 80 }], 'ClusterIP', { clusterIP: '10.0.0.5' }))[0].reason).toBe('10.0.0.5 is not a usable address of the service CIDR 10.96.0.0/12');
    expect(issuesOf(cluster('flannel-vxlan') + node('n1') + service('a', {}, [{ port: 80 }], 'ClusterIP', { clusterIP: '10.96.0.1' }))[0].reason).toBe('10.96.0.1 is already allocated to Service default/kubernetes');
  });
  it('a malformed address', () => {
    expect(issuesOf(cluster('flannel-vxlan') + node('n1', 'status: {addresses: [{type: InternalIP, address: 192.168.56.300}]}\n'))[0]).toMatchObject({
      document: 'Node/n1',
      field: 'status.addresses[InternalIP]',
      reason: expect.stringContaining('"192.168.56.300" is not an IPv4 address'),
    });
  });
});
