import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { main } from './main.ts';

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
  it('ipam prints nodes, pods and Services as kubectl would', async () => {
    const r = await run(['ipam', 'public/scenarios/bridge-hostgw.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^node-a\s+192\.168\.56\.10\s+10\.244\.0\.0\/24$/m);
    expect(r.out).toMatch(/^default\/api-2\s+node-b\s+10\.244\.1\.2$/m);
    expect(r.out).toMatch(/^default\/api\s+ClusterIP\s+10\.96\.0\.11\s+80\/TCP,53\/UDP$/m);
    expect(r.out).toMatch(/^default\/api-nodeport\s+NodePort\s+10\.96\.0\.12\s+80:30080\/TCP$/m);
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
    expect(Object.keys(j)).toEqual(['verdict', 'code', 'replyCode', 'reason', 'endpoint', 'candidates', 'hops', 'reply', 'learned']);
    expect(Object.keys(j.learned)).toEqual(['neighbours', 'fdb', 'conntrack']);
    // The Service's DNAT, remembered by conntrack on the client's node.
    expect(j.learned.conntrack[0]).toMatchObject({ proto: 'tcp', orig: { dst: '10.96.0.11', dport: 80 }, seenReply: true });
    expect([j.verdict, j.code, j.replyCode]).toEqual(['delivered', 'delivered', 'delivered']);
    expect(j.candidates).toHaveLength(2);
    expect(Object.keys(j.hops[0])).toEqual(['node', 'netns', 'device', 'action', 'why', 'packet']);
    expect(j.hops[0].packet).toEqual({ src: expect.stringMatching(/^10\.244\.\d+\.\d+:43512$/), dst: '10.96.0.11:80', proto: 'tcp', ttl: 64 });
  });
  it('trace exits 0 whatever the verdict, and prints a readable table', async () => {
    const r = await run(['trace', 'public/scenarios/bridge-hostgw.yaml', '--from', 'pod/default/client', '--to', 'service/default/orphan:80']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^REFUSED: filter .*: the Service has no endpoints, so kube-proxy REJECTs it \(ICMP port unreachable: the client sees connection refused\)\n/);
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
    const r = await run(['ipam', 'bad.yaml'], { 'bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: ghost, containers: []}\n' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('podpath: warning: no podpath.dev/v1alpha1 Cluster document');
    expect(r.err).toContain('podpath: bad.yaml: Pod/default/p spec.nodeName: node "ghost" does not exist (nodes: node-1, node-2, node-3)');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
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
