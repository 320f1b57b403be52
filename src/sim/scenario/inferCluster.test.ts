import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, loadScenario, loadScenarioFiles, parseScenario, trace } from '../index.ts';
import { inferCluster } from './inferCluster.ts';
import { dumpLists, dumpStream, k3sLike, kindLike, kubeadmFlannel, type DumpContent } from '../testing/dumps.ts';
import { cluster } from '../testing/helpers.ts';

const parse = (c: DumpContent) => {
  const r = parseScenario(dumpStream(dumpLists(c)), 'dump.txt');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const inferred = r.warnings.filter((w) => w.code === 'cluster-inferred');
  expect(inferred).toHaveLength(1);
  return { cluster: r.value.cluster, said: inferred[0].message };
};

describe('no Cluster document: the cluster inferred from the dump', () => {
  it('kubeadm with flannel: flannel\'s and kubeadm\'s default ranges, which hold what the dump shows, and said to be defaults', () => {
    const { cluster: c, said } = parse(kubeadmFlannel());
    expect(c).toEqual({ podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.96.0.0/12', nodeNetwork: '192.168.122.0/24', cni: 'flannel-vxlan', kubeProxy: 'iptables' });
    // What was inferred, from what, and what the dump itself proves.
    expect(said).toMatch(/^no podpath\.dev\/v1alpha1 Cluster document, so one was inferred from the input/);
    expect(said).toContain("podCIDR 10.244.0.0/16: flannel's default");
    expect(said).toContain("every node's spec.podCIDR (10.244.0.0/24, 10.244.1.0/24); the dump proves only 10.244.0.0/23");
    expect(said).toContain("serviceCIDR 10.96.0.0/12: kubeadm's default");
    expect(said).toContain("which starts one below the kubernetes Service's 10.96.0.1 (the API server gives it the first address) and holds all 3 ClusterIPs; the dump proves only 10.96.0.0/17");
    expect(said).toContain("nodeNetwork 192.168.122.0/24: the /24 holding every node's InternalIP (192.168.122.10, 192.168.122.11)");
    expect(said).toContain("cni flannel-vxlan: flannel's backend-type annotation on cp-1, worker-1 says vxlan");
  });
  it('a node left whose podCIDR is not the range\'s first block: still inside flannel\'s default, so that', () => {
    const c = kubeadmFlannel();
    c.nodes = c.nodes.slice(1);
    c.pods = c.pods.filter((p) => p.nodeName === 'worker-1');
    const { cluster: inferred, said } = parse(c);
    expect(inferred.podCIDR).toBe('10.244.0.0/16');
    expect(said).toContain('the dump proves only 10.244.1.0/24');
  });
  it("flannel's host-gw backend is bridge-hostgw; a backend podpath does not model is said to be one", () => {
    expect(parse(kubeadmFlannel('host-gw')).cluster.cni).toBe('bridge-hostgw');
    const wg = parse(kubeadmFlannel('wireguard'));
    expect(wg.cluster.cni).toBe('bridge-hostgw');
    expect(wg.said).toContain('cni bridge-hostgw, not a finding: flannel\'s "wireguard" backend');
    expect(wg.said).toContain('is not modelled');
  });
  it('k3s: its kubelet says so, so its defaults 10.42.0.0/16 and 10.43.0.0/16; without that, only what the dump proves, said to be a lower bound', () => {
    const k3s = parse(k3sLike());
    expect(k3s.cluster).toMatchObject({ podCIDR: '10.42.0.0/16', serviceCIDR: '10.43.0.0/16', nodeNetwork: '10.0.2.0/24', cni: 'flannel-vxlan', nodeCIDRMaskSize: 24 });
    expect(k3s.said).toContain("podCIDR 10.42.0.0/16: k3s's default");
    expect(k3s.said).toContain("the defaults looked for are k3s: node k3s-server's kubelet v1.30.6+k3s1 shows a k3s cluster");
    const unknown = parse(k3sLike('v1.30.6'));
    expect(unknown.cluster).toMatchObject({ podCIDR: '10.42.0.0/23', serviceCIDR: '10.43.0.0/28' });
    expect(unknown.said).toContain("podCIDR 10.42.0.0/23: the smallest range holding every node's spec.podCIDR (10.42.0.0/24, 10.42.1.0/24); a lower bound");
    expect(unknown.said).toContain("serviceCIDR 10.43.0.0/28: the smallest range that starts one below the kubernetes Service's 10.43.0.1");
    expect(unknown.said).toContain("a lower bound, the cluster's --service-cluster-ip-range may be wider");
  });
  it('kind: kindnet is modelled as bridge-hostgw and the warning says what differs; kind\'s service range', () => {
    const kind = parse(kindLike());
    expect(kind.cluster).toEqual({ podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.96.0.0/16', nodeNetwork: '172.18.0.0/24', cni: 'bridge-hostgw', kubeProxy: 'iptables' });
    expect(kind.said).toContain("cni bridge-hostgw, not a finding: DaemonSet kube-system/kindnet shows kind's kindnet");
    expect(kind.said).toContain('rather than a cni0 bridge');
    // The whole dump loads: the kindnet pods are hostNetwork (skipped), the web pod keeps its address.
    const r = loadScenario(dumpStream(dumpLists(kindLike())), 'kind.txt');
    expect(r.ok && r.value.pods.map((p) => p.podIP)).toEqual(['10.244.1.2']);
  });
  it('Calico and Cilium are said plainly: podpath models them as something else until they land', () => {
    const calico = kindLike();
    // As the Tigera operator installs it, in calico-system.
    calico.pods = [{ namespace: 'calico-system', name: 'calico-node-7hx2k', nodeName: 'kind-worker', hostNetwork: true }, ...calico.pods.filter((p) => !p.name.startsWith('kindnet'))];
    calico.daemonSets = [];
    const c = parse(calico);
    expect(c.cluster.cni).toBe('bridge-hostgw');
    expect(c.said).toContain('Pod calico-system/calico-node-7hx2k shows this cluster runs Calico; podpath models it as bridge-hostgw');
    expect(c.said).toContain('which a dump does not hold; podpath\'s calico mode models them when a Cluster document says');
    const cilium = { ...calico, pods: [{ namespace: 'kube-system', name: 'cilium-operator-5d9f-abcde', nodeName: 'kind-worker', hostNetwork: true }, { namespace: 'kube-system', name: 'cilium-q8w2n', nodeName: 'kind-worker', hostNetwork: true }] };
    const ci = parse(cilium);
    expect(ci.cluster.cni).toBe('flannel-vxlan');
    expect(ci.said).toContain('Pod kube-system/cilium-q8w2n shows this cluster runs Cilium; podpath models it as flannel-vxlan');
  });
  it('the AWS VPC CNI (aws-node): vpc, and the node network holds the pods\' addresses too', () => {
    const eks: DumpContent = {
      nodes: [
        { name: 'ip-10-0-1-20', internalIP: '10.0.1.20', kubelet: 'v1.30.4-eks-a737599' },
        { name: 'ip-10-0-1-99', internalIP: '10.0.1.99', kubelet: 'v1.30.4-eks-a737599' },
      ],
      pods: [
        { namespace: 'kube-system', name: 'aws-node-9fj2k', nodeName: 'ip-10-0-1-20', hostNetwork: true },
        { namespace: 'default', name: 'web-1', nodeName: 'ip-10-0-1-99', podIP: '10.0.2.41', labels: { app: 'web' } },
      ],
      services: [{ namespace: 'default', name: 'kubernetes', clusterIP: '172.20.0.1', ports: [{ name: 'https', port: 443 }] }],
      daemonSets: [{ namespace: 'kube-system', name: 'aws-node' }],
    };
    const { cluster: c, said } = parse(eks);
    expect(c).toMatchObject({ cni: 'vpc', nodeNetwork: '10.0.0.0/22', serviceCIDR: '172.20.0.0/16' });
    expect(said).toContain("nodeNetwork 10.0.0.0/22: the smallest range holding every node's InternalIP and pod IP (10.0.1.20, 10.0.1.99, 10.0.2.41)");
    expect(said).toContain("serviceCIDR 172.20.0.0/16: EKS's default");
    const r = loadScenario(dumpStream(dumpLists(eks)), 'eks.txt');
    expect(r.ok && r.value.pods.map((p) => p.podIP)).toEqual(['10.0.2.41']);
  });
  it('nothing shows the CNI: bridge-hostgw, said not to be a finding; no Node, Service or podCIDR: the old warning and the defaults', () => {
    const quiet = kubeadmFlannel();
    quiet.nodes = quiet.nodes.map(({ annotations: _a, ...n }) => n);
    const q = parse(quiet);
    expect(q.cluster.cni).toBe('bridge-hostgw');
    expect(q.said).toContain('cni bridge-hostgw, not a finding: nothing shows the CNI');
    // Both flannel models carry flanneld's masquerade chain; a cluster with no sign of flanneld is told so.
    expect(q.said).toContain("the model's masquerade rules are flanneld's (chain FLANNEL-POSTRTG");
    expect(parse(kubeadmFlannel()).said).not.toContain("masquerade rules are flanneld's");
    const manifest = parseScenario('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n', 'pod.yaml');
    expect(manifest.ok && manifest.warnings[0]).toEqual({ code: 'cluster-document-missing', message: expect.stringContaining('using kubeadm/flannel defaults') });
  });
  it("the node network leaves room for its own addresses: an InternalIP at a /24's last usable address (podpath's external client) widens it; podCIDRs of two sizes are said", () => {
    const c = kubeadmFlannel();
    c.nodes[0] = { ...c.nodes[0], internalIP: '192.168.122.254' };
    c.nodes[1] = { ...c.nodes[1], podCIDR: '10.244.2.0/23' };
    c.pods = c.pods.map((p) => (p.name === 'web-1' ? { ...p, podIP: '10.244.2.5' } : p));
    const { cluster: inferred, said } = parse(c);
    expect(inferred.nodeNetwork).toBe('192.168.122.0/23');
    expect(said).toContain("nodeNetwork 192.168.122.0/23: the smallest range holding every node's InternalIP (192.168.122.254, 192.168.122.11)");
    expect(inferred.nodeCIDRMaskSize).toBe(24);
    expect(said).toContain("the nodes' podCIDRs differ in size (/24, /23), new nodes get /24");
    const r = loadScenario(dumpStream(dumpLists(c)), 'dump.txt');
    expect(r.ok && r.value.nodes.map((n) => n.internalIP)).toEqual(['192.168.122.254', '192.168.122.11']);
  });
  it('500 Node documents without addresses and no Cluster document: the default ranges are widened to hold them, and said so', () => {
    const nodes = Array.from({ length: 500 }, (_, i) => `---\napiVersion: v1\nkind: Node\nmetadata: {name: n${i + 1}}\n`).join('');
    const r = loadScenario(nodes, 'nodes.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 3)));
    expect(r.value.cluster).toMatchObject({ podCIDR: '10.244.0.0/15', nodeNetwork: '192.168.56.0/23' });
    expect(r.value.nodes.at(-1)).toMatchObject({ name: 'n500', internalIP: '192.168.57.253', podCIDR: '10.245.243.0/24' });
    expect(r.warnings[0]).toContain('podCIDR and nodeNetwork widened to hold the 500 nodes');
    // Three nodes fit the defaults as they are.
    const few = loadScenario(nodes.split('---').slice(0, 4).join('---'), 'few.yaml');
    expect(few.ok && few.value.cluster).toMatchObject({ podCIDR: '10.244.0.0/16', nodeNetwork: '192.168.56.0/24' });
    expect(few.warnings.join('\n')).not.toContain('widened');
  });
  it('a Cluster document that sets only some fields: those are used, the ones it leaves out are inferred from the dump, and the warning names only those', () => {
    const partial = 'apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec: {cni: bridge-hostgw, serviceCIDR: 10.43.0.0/16}\n';
    const r = loadScenarioFiles([
      { name: 'dump.txt', text: dumpStream(dumpLists(k3sLike())) },
      { name: 'cluster.yaml', text: partial },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    // cni and serviceCIDR as the document says (flannel's vxlan annotations notwithstanding); the rest from the dump.
    expect(r.value.cluster).toMatchObject({ cni: 'bridge-hostgw', serviceCIDR: '10.43.0.0/16', podCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24, nodeNetwork: '10.0.2.0/24' });
    const said = r.warnings.find((w) => w.includes('the Cluster document leaves out'))!;
    expect(said).toContain('podCIDR 10.42.0.0/16');
    expect(said).toContain('nodeNetwork 10.0.2.0/24');
    expect(said).not.toContain('serviceCIDR');
    expect(said).not.toContain('cni ');
    // A document leaving out cni beside a dump that shows no CNI: its default stands, said not to be a finding.
    const quiet = kubeadmFlannel();
    quiet.nodes = quiet.nodes.map(({ annotations: _a, ...n }) => n);
    const noCni = loadScenarioFiles([
      { name: 'dump.txt', text: dumpStream(dumpLists(quiet)) },
      { name: 'cluster.yaml', text: 'apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec: {podCIDR: 10.244.0.0/16}\n' },
    ]);
    if (!noCni.ok) throw new Error(JSON.stringify(noCni.issues));
    const noCniSaid = noCni.warnings.find((w) => w.includes('the Cluster document leaves out'))!;
    expect(noCniSaid).toContain(`cni ${noCni.value.cluster.cni}, not a finding: the Cluster document leaves it out and nothing in the input shows the CNI`);
    expect(noCniSaid).toContain("the model's masquerade rules are flanneld's");
    // A whole Cluster document beside the same dump: nothing inferred, nothing said.
    const whole = loadScenarioFiles([
      { name: 'dump.txt', text: dumpStream(dumpLists(k3sLike())) },
      { name: 'cluster.yaml', text: cluster('flannel-vxlan', { podCIDR: '10.42.0.0/16', serviceCIDR: '10.43.0.0/16', nodeNetwork: '10.0.0.0/16' }) },
    ]);
    expect(whole.ok && whole.value.cluster.nodeNetwork).toBe('10.0.0.0/16');
    expect(whole.warnings.join('\n')).not.toContain('Cluster document');
  });
  it('a Cluster document in the input is used instead of anything inferred (here as a file of its own beside the dump)', () => {
    const files = [
      { name: 'dump.txt', text: dumpStream(dumpLists(k3sLike())) },
      { name: 'cluster.yaml', text: cluster('bridge-hostgw', { podCIDR: '10.42.0.0/16', serviceCIDR: '10.43.0.0/16', nodeNetwork: '10.0.0.0/16' }) },
    ];
    const r = loadScenarioFiles(files);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.cluster).toEqual({ podCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.43.0.0/16', nodeNetwork: '10.0.0.0/16', cni: 'bridge-hostgw', kubeProxy: 'iptables' });
    expect(r.warnings.join('\n')).not.toContain('Cluster document');
  });
});

describe('the reconstructed dumps in ./dumps (see its README)', () => {
  const read = (name: string) => readFileSync(fileURLToPath(new URL(`./dumps/${name}`, import.meta.url)), 'utf8');
  it('kind, kubectl cluster-info dump --all-namespaces: kind\'s ranges, kindnet said to be modelled as bridge-hostgw', () => {
    const r = parseScenario(read('kind-cluster-info-dump.txt'), 'kind-cluster-info-dump.txt');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.cluster).toEqual({ podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.96.0.0/16', nodeNetwork: '172.18.0.0/24', cni: 'bridge-hostgw', kubeProxy: 'iptables' });
    expect(r.value.nodes.map((n) => [n.name, n.internalIP, n.podCIDR])).toEqual([
      ['kind-control-plane', '172.18.0.2', '10.244.0.0/24'],
      ['kind-worker', '172.18.0.4', '10.244.1.0/24'],
      ['kind-worker2', '172.18.0.3', '10.244.2.0/24'],
    ]);
    const said = r.warnings.find((w) => w.code === 'cluster-inferred')!.message;
    // Its ClusterIPs reach 10.96.142.37: kind's /16 is what they need, no less.
    expect(said).toContain("serviceCIDR 10.96.0.0/16: kind's default, which starts one below the kubernetes Service's 10.96.0.1");
    expect(said).toContain('the dump needs all of it');
    expect(said).toContain("shows kind's kindnet");
  });
  it('k3s, kubectl get … -A -o yaml (items with kinds): k3s\'s ranges and flannel VXLAN from its annotations', () => {
    const r = parseScenario(read('k3s-get-all.yaml'), 'k3s-get-all.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.cluster).toEqual({ podCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.43.0.0/16', nodeNetwork: '172.18.0.0/24', cni: 'flannel-vxlan', kubeProxy: 'iptables' });
    expect(r.warnings.find((w) => w.code === 'cluster-inferred')!.message).toContain("the defaults looked for are k3s: node k3s-server's kubelet v1.30.6+k3s1 shows a k3s cluster");
  });
});

describe('inferring from a big dump', () => {
  it('a VPC cluster of 200,000 pods: the node network holds them all, with no stack overflow (the bounds are found in a loop)', () => {
    const pods = Array.from({ length: 200_000 }, (_, i) => ({ namespace: 'default', name: `p-${i}`, labels: {}, ports: [], nodeName: 'n-0', podIP: `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}` }));
    const docs = [{ kind: 'DaemonSet', metadata: { namespace: 'kube-system', name: 'aws-node' } }];
    const { cluster: c } = inferCluster({ docs, nodes: [{ name: 'n-0', labels: {}, internalIP: '10.0.0.10' }], pods, services: [] });
    expect(c.cni).toBe('vpc');
    expect(c.nodeNetwork).toBe('10.0.0.0/13');
  });
});

describe("the model's masquerade rule, on a cluster that shows no flanneld", () => {
  const snatOf = (c: DumpContent) => {
    const r = loadScenario(dumpStream(dumpLists(c)), 'dump.txt');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const t = trace(compile(r.value), { from: { kind: 'pod', namespace: 'default', name: 'web-1' }, to: { kind: 'ip', ip: '203.0.113.9', port: 443 }, proto: 'tcp' });
    if (!t.ok) throw new Error(JSON.stringify(t.issues));
    return t.value.hops.find((h) => h.action === 'snat')!;
  };
  it("a kind dump (kindnet, no flanneld): the SNAT hop says FLANNEL-POSTRTG is the model's rule, assumed, not the cluster's", () => {
    const hop = snatOf(kindLike());
    expect(hop.matched).toContain('FLANNEL-POSTRTG');
    expect(hop.why).toContain("assumed: FLANNEL-POSTRTG is the model's masquerade rule (flanneld's), and the input shows no flanneld");
    expect(hop.assumed).toEqual({ because: 'model-masquerade', chain: 'FLANNEL-POSTRTG' });
  });
  it('a flannel dump: the same hop states it, flanneld being there', () => {
    expect(snatOf(kubeadmFlannel()).why).not.toContain('assumed');
  });
});

describe("the control plane's own flags, where a dump shows them", () => {
  const controlPlane = (extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: kube-controller-manager-cp-1, namespace: kube-system}
spec:
  nodeName: cp-1
  hostNetwork: true
  containers:
  - name: kube-controller-manager
    image: registry.k8s.io/kube-controller-manager:v1.31.0
    command: [kube-controller-manager, --allocate-node-cidrs=true, "--cluster-cidr=10.244.0.0/16,fd00:10:244::/56", --node-cidr-mask-size=24]
---
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp-1, namespace: kube-system}
spec:
  nodeName: cp-1
  hostNetwork: true
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.0
    command: [kube-apiserver, ${extra}]
`;
  const withControlPlane = (extra: string) => [
    { name: 'dump.txt', text: dumpStream(dumpLists(kubeadmFlannel())) },
    { name: 'control-plane.yaml', text: controlPlane(extra) },
  ];
  it("--cluster-cidr and --service-cluster-ip-range give the ranges, said as the flags' (the IPv4 one of a dual-stack pair), not as a distribution's default", () => {
    const r = loadScenarioFiles(withControlPlane('--service-cluster-ip-range=10.96.0.0/16'));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.cluster.podCIDR).toBe('10.244.0.0/16');
    expect(r.value.cluster.serviceCIDR).toBe('10.96.0.0/16');
    const said = r.warnings.find((w) => w.startsWith('no podpath.dev/v1alpha1 Cluster document'))!;
    expect(said).toContain("podCIDR 10.244.0.0/16: kube-controller-manager's --cluster-cidr in Pod kube-system/kube-controller-manager-cp-1");
    expect(said).toContain("nodeCIDRMaskSize 24: the nodes' podCIDR prefix, as kube-controller-manager's --node-cidr-mask-size");
    expect(said).toContain("serviceCIDR 10.96.0.0/16: kube-apiserver's --service-cluster-ip-range in Pod kube-system/kube-apiserver-cp-1");
    expect(said).not.toContain("flannel's default");
  });
  it('a flag whose range does not hold what the dump shows is not believed', () => {
    const r = loadScenarioFiles(withControlPlane('--service-cluster-ip-range=10.100.0.0/24'));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.cluster.serviceCIDR).not.toBe('10.100.0.0/24');
    expect(r.warnings.join('\n')).toContain("kube-apiserver's --service-cluster-ip-range in Pod kube-system/kube-apiserver-cp-1 is 10.100.0.0/24, which does not hold every ClusterIP");
  });
});
