import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from './main.ts';
import { dumpDirectory, dumpLists, dumpStream, kubeadmFlannel } from '../sim/testing/dumps.ts';
import { HOSTILE_INPUTS } from '../sim/testing/hostile.ts';
import { cluster, load, node, pod, traceOf } from '../sim/testing/helpers.ts';
import { natRuleCounters } from '../sim/trace/counters.ts';

function run(args: string[], files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io = {
    out: (t: string) => void (out += t),
    err: (t: string) => void (err += t),
    readFile: (p: string) => {
      if (p in files) return files[p];
      return readFileSync(p, 'utf8');
    },
  };
  return main(args, io).then((code) => ({ code, out, err }));
}

describe('podpath CLI', () => {
  it('lesson checks a lesson file step by step, its scenario found in ../scenarios/, and says what each step shows', async () => {
    const r = await run(['lesson', 'public/lessons/03-same-host.yaml']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Same host: the bridge \(5 steps\): OK, every step checked against its cluster$/m);
    expect(r.out).toMatch(/^step 1: Neighbours on one node$/m);
    expect(r.out).toMatch(/^ {2}packet: DELIVERED: delivered to pod default\/web-1 on 10\.244\.0\.3:8080\/TCP$/m);
    expect(r.out).toMatch(/^ {4}answered by default\/web-1; the receiver sees source 10\.244\.0\.2; 8 hops$/m);
  });
  it('lesson says which file, step and field is wrong, and exits 2', async () => {
    const text = readFileSync('public/lessons/03-same-host.yaml', 'utf8').replace('to: pod/default/web-1:8080}', 'to: pod/default/web-9:8080}');
    const r = await run(['lesson', 'public/lessons/mine.yaml'], { 'public/lessons/mine.yaml': text });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^podpath: public\/lessons\/mine\.yaml step 1, packet\.to: the packet does not trace at this step: no pod default\/web-9 \(line \d+\)$/m);
    const missing = await run(['lesson', 'nowhere.yaml']);
    expect(missing).toMatchObject({ code: 2, err: 'podpath: cannot read nowhere.yaml: no such file\n' });
  });
  it('trace --tcpdump prints what tcpdump -n on a device would show; --pcap writes the frames as pcapng; a device the trace does not cross is an error naming those it does', async () => {
    // Two nodes on flannel's VXLAN, a client on one and a web pod on the other.
    const file = cluster('flannel-vxlan') + node('a') + node('b') + pod('client', 'a', {}) + pod('web', 'b', {}, [{ containerPort: 8080 }]);
    const r = await run(['trace', 'hand.yaml', '--from', 'pod/default/client', '--to', 'pod/default/web:8080', '--tcpdump', 'a:eth0'], { 'hand.yaml': file });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^→ IP 192\.168\.56\.10\.\d+ > 192\.168\.56\.11\.8472: OTV, flags \[I\] \(0x08\), overlay 0, instance 1\n {2}IP 10\.244\.0\.2\.\d+ > 10\.244\.1\.2\.8080: Flags \[S\], seq 1000, win 64240, length 0$/m);
    expect(r.out).toMatch(/^← IP 192\.168\.56\.11\.\d+ > 192\.168\.56\.10\.8472: OTV/m);
    const dir = mkdtempSync(join(tmpdir(), 'podpath-pcap-'));
    try {
      const out = join(dir, 't.pcapng');
      const w = await run(['trace', 'hand.yaml', '--from', 'pod/default/client', '--to', 'pod/default/web:8080', '--pcap', out], { 'hand.yaml': file });
      expect(w.code).toBe(0);
      expect(w.err).toMatch(/^podpath: wrote 12 frame\(s\) on 6 device\(s\) to .*t\.pcapng/);
      // pcapng's section header block, little-endian.
      expect([...readFileSync(out).subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
      // A file that cannot be written: said in one line, exit 2 (was an uncaught ENOENT's stack trace).
      const lost = await run(['trace', 'hand.yaml', '--from', 'pod/default/client', '--to', 'pod/default/web:8080', '--pcap', join(dir, 'nope', 't.pcapng')], { 'hand.yaml': file });
      expect(lost).toMatchObject({ code: 2, err: `podpath: cannot write ${join(dir, 'nope', 't.pcapng')}: no such directory\n` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = await run(['trace', 'hand.yaml', '--from', 'pod/default/client', '--to', 'pod/default/web:8080', '--tcpdump', 'a:cni0'], { 'hand.yaml': file });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^podpath: the trace crosses a:cni0, but podpath writes frames only where they cross a veth or eth0, not on a tunnel or bridge device .*; the devices it writes: default\/client:eth0, a:veth\w+, a:eth0, b:eth0, b:veth\w+, default\/web:eth0$/m);
    const nowhere = await run(['trace', 'hand.yaml', '--from', 'pod/default/client', '--to', 'pod/default/web:8080', '--tcpdump', 'a:eth7'], { 'hand.yaml': file });
    expect(nowhere.err).toMatch(/^podpath: no frame of this trace crosses a:eth7; the ones it crosses: /m);
  });
  it('flows prints the flows Hubble would show as JSON lines (hubble observe -o jsonpb), and says why a cluster without Cilium has none', async () => {
    const r = await run(['flows', 'public/scenarios/cilium-tunnel.yaml', '--from', 'pod/default/client', '--to', 'pod/default/web-2:8080']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.node_name} ${l.flow.trace_observation_point} ${l.flow.verdict}`)).toEqual(['node-1 TO_OVERLAY FORWARDED', 'node-2 TO_ENDPOINT FORWARDED', 'node-2 TO_OVERLAY FORWARDED', 'node-1 TO_ENDPOINT FORWARDED']);
    expect(Object.keys(lines[0])).toEqual(['flow', 'node_name', 'time']);
    const none = await run(['flows', 'public/scenarios/flannel-vxlan.yaml', '--from', 'pod/default/client', '--to', 'service/default/web:80']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^podpath: this cluster's CNI is flannel-vxlan: Hubble is Cilium's/);
  });
  it('ipam prints nodes, pods and Services as kubectl would', async () => {
    const r = await run(['ipam', 'public/scenarios/bridge-hostgw.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^node-a\s+192\.168\.56\.10\s+10\.244\.0\.0\/24$/m);
    expect(r.out).toMatch(/^default\/api-2\s+node-b\s+10\.244\.1\.2$/m);
    expect(r.out).toMatch(/^default\/api\s+ClusterIP\s+10\.96\.0\.11\s+80\/TCP,53\/UDP$/m);
    expect(r.out).toMatch(/^default\/api-nodeport\s+NodePort\s+10\.96\.0\.12\s+80:30080\/TCP$/m);
  });
  it('trace --size: a UDP packet with Don\'t Fragment stops where the MTU is smaller, and says so in the JSON', async () => {
    const file = 'public/scenarios/mtu-vxlan.yaml';
    const big = await run(['trace', file, '--from', 'external', '--to', 'node/node-1:30053', '--proto', 'udp', '--size', '1451', '--json']);
    expect(big.code).toBe(0);
    expect(JSON.parse(big.out)).toMatchObject({ verdict: 'dropped', code: 'frag-needed', size: 1451, mtu: 1450 });
    const text = await run(['trace', file, '--from', 'pod/default/client', '--to', 'service/default/echo:53', '--proto', 'udp', '--size', '1500']);
    expect(text.out).toMatch(/^DROPPED: the packet is 1500 bytes and eth0's MTU is 1450: .*EMSGSIZE/);
    const bad = await run(['trace', file, '--from', 'external', '--to', 'node/node-1:30053', '--proto', 'udp', '--size', 'big']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--size must be a whole number of bytes 28-65535');
  });
  it('trace prints each hop\'s TTL, and --no-hairpin / --no-br-netfilter show what depends on them', async () => {
    const file = 'public/scenarios/flannel-vxlan.yaml';
    const self = ['trace', file, '--from', 'pod/default/web-45g782kmm6-cdgn9', '--to', 'service/default/web:80', '--endpoint', '0'];
    const on = await run(self);
    expect(on.out).toMatch(/^DELIVERED/);
    expect(on.out).toMatch(/PACKET \(after this hop\)\s+TTL\s+WHY/);
    const hairpinOff = await run([...self, '--no-hairpin']);
    expect(hairpinOff.out).toMatch(/^DROPPED: .*hairpin mode/);
    // Without br_netfilter the pod reaches itself routed (TTL 63), not bridged.
    const nfOff = await run([...self, '--no-br-netfilter', '--json']);
    const j = JSON.parse(nfOff.out);
    expect(j.verdict).toBe('delivered');
    expect(j.hops.find((h: { action: string }) => h.action === 'deliver').packet.ttl).toBe(63);
  });
  it('ipam lists default/kubernetes on the first Service address, as kubectl get svc -A does, once', async () => {
    const r = await run(['ipam', 'public/scenarios/bridge-hostgw.yaml']);
    const services = r.out.slice(r.out.indexOf('SERVICE')).split('\n');
    expect(services[1]).toMatch(/^default\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+443\/TCP$/);
    // A file (a cluster dump) that holds the Service itself: listed as written, once.
    const files = { 'k.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec: {clusterIP: 10.96.0.1, ports: [{name: https, port: 443, targetPort: 6443}]}\n' };
    const dump = await run(['ipam', 'k.yaml'], files);
    expect(dump.out.match(/^default\/kubernetes\s/gm)).toHaveLength(1);
  });
  it('trace --json has the documented shape', async () => {
    const r = await run(['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'deployment/default/web', '--to', 'service/default/web:80', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['warnings', 'verdict', 'code', 'replyCode', 'reason', 'endpoint', 'candidates', 'hops', 'reply', 'learned']);
    expect(Object.keys(j.learned)).toEqual(['neighbours', 'fdb', 'conntrack']);
    expect(j.warnings).toEqual([]);
    // The Service's DNAT, remembered by conntrack on the client's node.
    expect(j.learned.conntrack[0]).toMatchObject({ proto: 'tcp', orig: { dst: '10.96.0.11', dport: 80 }, seenReply: true });
    expect([j.verdict, j.code, j.replyCode]).toEqual(['delivered', 'delivered', 'delivered']);
    expect(j.candidates).toHaveLength(2);
    expect(Object.keys(j.hops[0])).toEqual(['node', 'netns', 'device', 'action', 'why', 'packet']);
    expect(j.hops[0].packet).toEqual({ src: expect.stringMatching(/^10\.244\.\d+\.\d+:43512$/), dst: '10.96.0.11:80', proto: 'tcp', ttl: 64 });
  });
  it("trace --json carries the input's warnings, which stderr prints, so a program reading stdout sees what was inferred", async () => {
    const r = await run(['trace', 'src/sim/scenario/dumps/kind-cluster-info-dump.txt', '--from', 'node/kind-worker', '--to', 'node/kind-control-plane:10250', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.warnings.length).toBeGreaterThan(0);
    expect(j.warnings.some((w: string) => w.startsWith('no podpath.dev/v1alpha1 Cluster document, so one was inferred'))).toBe(true);
    for (const w of j.warnings) expect(r.err).toContain(`podpath: warning: ${w}`);
  });
  it('trace exits 0 whatever the verdict, and prints a readable table', async () => {
    const r = await run(['trace', 'public/scenarios/bridge-hostgw.yaml', '--from', 'pod/default/client', '--to', 'service/default/orphan:80']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^REFUSED: filter .*: Service default\/orphan has no ready endpoint for port 80: its selector app=nothing-has-this-label matches no pod in namespace default; so kube-proxy REJECTs it \(ICMP port unreachable: the client sees connection refused\)\n/);
    const j = JSON.parse((await run(['trace', 'public/scenarios/bridge-hostgw.yaml', '--from', 'pod/default/client', '--to', 'service/default/orphan:80', '--json'])).out);
    expect([j.verdict, j.code, j.replyCode]).toEqual(['refused', 'reject-no-endpoints', null]);
    expect(r.out).toContain('NETNS');
  });
  it('show prints a netns as ip and iptables-save would', async () => {
    const r = await run(['show', 'public/scenarios/flannel-vxlan.yaml', 'node-2']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('# ip route\ndefault via 192.168.56.1 dev eth0 \n10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink \n');
    expect(r.out).toContain('*nat\n:PREROUTING ACCEPT [0:0]');
  });
  it('bad input: a clear message, exit 2, no stack trace; warnings go to stderr', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: ghost, containers: []}\n';
    const r = await run(['ipam', 'bad.yaml'], { 'bad.yaml': `apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\n${pod}` });
    expect(r.code).toBe(2);
    expect(r.err).toContain('podpath: warning: no podpath.dev/v1alpha1 Cluster document');
    expect(r.err).toContain('podpath: bad.yaml: Pod/default/p spec.nodeName: node "ghost" does not exist (nodes: n1)');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
    // No Node documents at all: one sentence saying which nodes the input lacks.
    const alone = await run(['ipam', 'pod.yaml'], { 'pod.yaml': pod });
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('podpath: pod.yaml: 1 pod runs on node ghost, but the input holds no Node documents');
    // The refusal first, then what was inferred.
    expect(alone.err.indexOf('1 pod runs')).toBeLessThan(alone.err.indexOf('podpath: warning:'));
  });
  it('--endpoint beyond the candidates, and a Service whose endpoints podpath cannot know: exit 2, saying why', async () => {
    const far = await run(['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'deployment/default/web', '--to', 'service/default/web:80', '--endpoint', '7']);
    expect(far.code).toBe(2);
    expect(far.err).toBe('podpath: public/scenarios/flannel-vxlan.yaml: trace --endpoint: 7 is out of range: this path has 2 endpoints (0-1)\n');
    const files = { 'k.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec: {clusterIP: 10.96.0.1, ports: [{name: https, port: 443, targetPort: 6443}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c}\nspec: {containers: [{name: c, image: x}]}\n' };
    const api = await run(['trace', 'k.yaml', '--from', 'pod/default/c', '--to', 'service/default/kubernetes:443'], files);
    expect(api.code).toBe(2);
    expect(api.err).toContain('has no selector: its endpoints are kept by hand (for default/kubernetes: the API server)');
    // In an ordinary file the Service is not written, but its address is the API server's all the same.
    const byName = await run(['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'pod/default/client', '--to', 'service/default/kubernetes:443']);
    expect(byName.code).toBe(2);
    expect(byName.err).toContain('default/kubernetes leads to the API server');
    const byIP = await run(['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'pod/default/client', '--to', '10.96.0.1:443']);
    expect(byIP.code).toBe(2);
    expect(byIP.err).toContain("10.96.0.1 is the default/kubernetes Service's address");
  });
  it('a YAML syntax error names line and column', async () => {
    const r = await run(['ipam', 'x.yaml'], { 'x.yaml': 'kind: Pod\nmetadata:\n  name: [oops\n' });
    expect(r.code).toBe(2);
    // The file is named once.
    expect(r.err).toMatch(/^podpath: x\.yaml: YAML does not parse: .* \(line \d+, column \d+\)\n$/);
  });
  it('trace --counters prints, per node, each iptables nat rule the connection moves and by how much', async () => {
    const r = await run(['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'pod/default/client', '--to', 'service/default/web:80', '--endpoint', '1', '--counters']);
    expect(r.code).toBe(0);
    const t = traceOf(load(readFileSync('public/scenarios/flannel-vxlan.yaml', 'utf8')), 'pod/default/client', 'service/default/web:80', 'tcp', 1);
    const want = natRuleCounters([t]);
    const printed = new Map<string, Map<string, number>>();
    let node = '';
    for (const line of r.out.split('\n')) {
      const head = /^(\S+):$/.exec(line);
      if (head) printed.set((node = head[1]), new Map());
      const m = /^ {2}\+(\d+) {2}(-A .*)$/.exec(line);
      if (m) printed.get(node)!.set(m[2], Number(m[1]));
    }
    expect(printed).toEqual(want);
    // Across the tunnel: node-1's PREROUTING counts the request and the reply's outer packet.
    expect(printed.get('node-1')!.get('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES')).toBe(2);
  });
  it('--help after a command prints the usage and exits 0 (a file named --help is still reachable after --)', async () => {
    for (const args of [['trace', '--help'], ['flows', '-h'], ['lab', 'x.yaml', '--help']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toContain('Usage:');
      expect(r.err).toBe('');
    }
    const file = await run(['ipam', '--', '--help']);
    expect(file.err).toBe('podpath: cannot read --help: no such file\n');
  });
  it('a missing file, an unknown command, a bad --to: exit 2 with usage help', async () => {
    expect((await run(['ipam', 'nope.yaml'])).err).toBe('podpath: cannot read nope.yaml: no such file\n');
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "frobnicate"');
    const badTo = await run(['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'pod/default/client', '--to', 'web']);
    expect(badTo.code).toBe(2);
    expect(badTo.err).toContain('(the port is missing)');
    const unknownPod = await run(['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'pod/default/ghost', '--to', '10.244.0.3:8080']);
    expect(unknownPod.err).toContain('trace --from: no pod default/ghost');
  });
});

describe('podpath PATH…: a dump directory, several files', () => {
  // A `kubectl cluster-info dump --output-directory` tree on disk, pod logs and all.
  const dir = mkdtempSync(join(tmpdir(), 'podpath-dump-'));
  for (const [path, text] of Object.entries(dumpDirectory(dumpLists(kubeadmFlannel())))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ipam DIR reads every .json under it, says which files it skipped, and prints the addresses the dump holds', async () => {
    const r = await run(['ipam', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^cp-1\s+192\.168\.122\.10\s+10\.244\.0\.0\/24$/m);
    expect(r.out).toMatch(/^default\/web-1\s+worker-1\s+10\.244\.1\.5$/m);
    expect(r.out).toMatch(/^default\/web\s+ClusterIP\s+10\.96\.120\.7\s+80\/TCP$/m);
    expect(r.err).toContain(`podpath: warning: read only .json, .yaml and .yml files: skipped 3 other files (pod logs and the like): ${join(dir, 'default', 'web-1', 'logs.txt')}`);
    expect(r.err).toContain('podpath: warning: no podpath.dev/v1alpha1 Cluster document, so one was inferred');
    expect(r.err).toContain("  - cni flannel-vxlan: flannel's backend-type annotation on cp-1, worker-1 says vxlan");
  });
  it('several files are one scenario; an issue names its own file', async () => {
    const lists = dumpLists(kubeadmFlannel());
    const files = { 'nodes.json': dumpStream(lists.slice(0, 1)), 'rest.json': dumpStream(lists.slice(1)) };
    const both = await run(['trace', 'nodes.json', 'rest.json', '--from', 'pod/default/web-1', '--to', 'service/kube-system/kube-dns:53', '--proto', 'udp'], files);
    expect(both.code).toBe(0);
    expect(both.out).toContain('DELIVERED');
    const bad = await run(['ipam', 'nodes.json', 'rest.json'], { ...files, 'rest.json': files['rest.json'].replace('"containerPort": 8080', '"containerPort": "8080"') });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('podpath: rest.json: Pod/default/web-1 spec.containers[0].ports[0].containerPort: must be a number, got the string "8080"');
    const show = await run(['show', 'nodes.json', 'rest.json', 'worker-1'], files);
    expect(show.code).toBe(0);
    expect(show.out).toContain('10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink');
  });
  it('a directory with nothing to read, and a path that is not there: exit 2, saying so', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'podpath-empty-'));
    try {
      expect(await run(['ipam', empty])).toMatchObject({ code: 2, err: `podpath: ${empty}: no .json, .yaml or .yml file to read\n` });
    } finally {
      rmSync(empty, { recursive: true });
    }
    expect(await run(['ipam', join(dir, 'nowhere')])).toMatchObject({ code: 2, err: `podpath: cannot read ${join(dir, 'nowhere')}: no such file\n` });
  });
});

describe('podpath CLI on a dump of a live cluster', () => {
  const dump = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: c}
spec: {podCIDR: 10.42.0.0/16, serviceCIDR: 10.43.0.0/16, nodeNetwork: 192.168.1.0/24, cni: flannel-vxlan}
---
apiVersion: v1
kind: Node
metadata: {name: k3s-server}
spec: {podCIDR: 10.42.0.0/24}
status: {addresses: [{type: InternalIP, address: 192.168.1.10}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default}
spec: {nodeName: k3s-server, containers: [{name: c, image: x}]}
status: {phase: Running, podIP: 10.42.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: default, labels: {app: web}}
spec: {nodeName: k3s-server, containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: 10.42.0.3, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {type: NodePort, selector: {app: web}, clusterIP: 10.43.0.50, ports: [{port: 80, targetPort: 80, nodePort: 30080}]}
---
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
spec: {clusterIP: 10.43.0.1, ports: [{name: https, port: 443, targetPort: 6443}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: kubernetes, namespace: default, labels: {kubernetes.io/service-name: kubernetes}}
addressType: IPv4
endpoints: [{addresses: [192.168.1.10], conditions: {ready: true}}]
ports: [{name: https, port: 6443, protocol: TCP}]
`;
  const files = { 'dump.yaml': dump };

  it('trace --to 10.43.0.1:443 and --to service/default/kubernetes:443 give the same answer: the API server\'s address', async () => {
    const byIP = await run(['trace', 'dump.yaml', '--from', 'pod/default/client', '--to', '10.43.0.1:443'], files);
    const byName = await run(['trace', 'dump.yaml', '--from', 'pod/default/client', '--to', 'service/default/kubernetes:443'], files);
    expect(byIP.code).toBe(0);
    expect(byName.code).toBe(0);
    expect(byIP.out).toBe(byName.out);
    expect(byIP.out).toMatch(/^DELIVERED: delivered to node k3s-server on 192\.168\.1\.10:6443\/TCP$/m);
    expect(byIP.out).toContain("the input's endpoints of Service default/kubernetes list 192.168.1.10:6443");
  });

  it('--from external --to a NodePort Service exits 2 naming the node/NAME:NODEPORT to use, which then works', async () => {
    const r = await run(['trace', 'dump.yaml', '--from', 'external', '--to', 'service/default/web:80'], files);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--to node/k3s-server:30080');
    const viaNode = await run(['trace', 'dump.yaml', '--from', 'external', '--to', 'node/k3s-server:30080'], files);
    expect(viaNode.code).toBe(0);
    expect(viaNode.out).toMatch(/^DELIVERED: delivered to pod default\/web-1/m);
  });
});

describe('podpath CLI on hostile files (issue 10 §2)', () => {
  // Each crashed, hung or misread once; now one clear line on stderr and exit 2.
  const quick = HOSTILE_INPUTS.filter((h) => h.code !== 'pods-do-not-fit');
  for (const h of quick) {
    it(`${h.name}: exit 2, one clear message`, async () => {
      const r = await run(['ipam', 'hostile.yaml'], { 'hostile.yaml': h.text });
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^podpath: hostile\.yaml: \S/m);
      expect(r.err).not.toMatch(/TypeError|RangeError|ReferenceError|at .*\.ts:\d+/);
    });
  }
  it('an empty file: exit 2, "holds no documents"', async () => {
    const r = await run(['ipam', 'empty.yaml'], { 'empty.yaml': '# nothing here\n---\n' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds no documents/);
  });
});

describe('podpath matrix', () => {
  it('prints who may connect to whom in the upstream e2e format, one matrix per port unless --port names one', async () => {
    const r = await run(['matrix', 'public/scenarios/network-policy.yaml', '--port', '80']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        '-\tx/a\tx/b\ty/a\ty/c\tz/b\tz/c',
        'x/a\t.\tX\t.\t.\tX\tX',
        'x/b\tX\t.\t.\t.\t.\tX',
        'y/a\t.\tX\t.\t.\t.\tX',
        'y/c\t.\tX\tX\t.\tX\tX',
        'z/b\tX\tX\t.\t.\t.\tX',
        'z/c\tX\tX\t.\t.\t.\t.',
        '',
      ].join('\n'),
    );
    const all = await run(['matrix', 'public/scenarios/network-policy.yaml', '--namespace', 'x']);
    expect(all.out.split('\n').filter((l) => l.startsWith('# '))).toEqual(['# 80/TCP', '# 81/TCP']);
  });

  it('says first, on a CNI that enforces none, that every X is delivered all the same', async () => {
    const text = readFileSync('public/scenarios/network-policy.yaml', 'utf8').replace(/  cni: calico\n  kubeProxy: iptables\n  calico:\n(    .*\n)+/, '  cni: flannel-vxlan\n  kubeProxy: iptables\n');
    const r = await run(['matrix', 'np.yaml', '--port', '81'], { 'np.yaml': text });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/flannel-vxlan does not enforce NetworkPolicy: in this cluster every X below is in fact delivered/);
  });

  it('refuses a bad --port or --proto with the usage', async () => {
    expect((await run(['matrix', 'public/scenarios/network-policy.yaml', '--port', '0'])).code).toBe(2);
    expect((await run(['matrix', 'public/scenarios/network-policy.yaml', '--proto', 'icmp'])).err).toMatch(/--proto must be tcp, udp or sctp/);
  });
});

describe('podpath flows --table', () => {
  it('prints one line per flow in columns: the policy drop as DROPPED POLICY_DENIED', async () => {
    const text = readFileSync('public/scenarios/network-policy.yaml', 'utf8').replace(/  cni: calico\n  kubeProxy: iptables\n  calico:\n(    .*\n)+/, '  cni: cilium\n  kubeProxy: iptables\n');
    const r = await run(['flows', 'np.yaml', '--from', 'pod/z/b', '--to', 'pod/x/b:80', '--table'], { 'np.yaml': text });
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME +NODE +SOURCE -> DESTINATION +VERDICT +POINT +DIRECTION +SUMMARY$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).slice(1))).toEqual([
      ['node-1', 'z/b:43512 -> x/b:80', 'FORWARDED', 'TO_OVERLAY', 'EGRESS', 'TCP Flags: SYN'],
      ['node-2', 'z/b:43512 -> x/b:80', 'DROPPED POLICY_DENIED', 'drop', 'INGRESS', 'TCP Flags: SYN'],
    ]);
  });
});
