// The lab for Calico: pods written as Calico's CNI plugin leaves them, BIRD for the
// routes between nodes, IPIP refused because this kernel cannot build tunl0.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../dataplane/compile.ts';
import { loadScenario } from '../index.ts';
import { labPlan } from './plan.ts';
import { renderLabScript } from './script.ts';

const file = (name: string) => readFileSync(new URL(`../../../public/scenarios/${name}`, import.meta.url), 'utf8');

function planOf(yaml: string) {
  const s = loadScenario(yaml, 't.yaml');
  if (!s.ok) throw new Error(s.issues.map((i) => i.reason).join('; '));
  return labPlan(compile(s.value), { prefix: 'ppt' });
}

describe('the Calico lab', () => {
  it('no encapsulation: BIRD learns the routes (none written), with Calico\'s mesh, blackholes and export filter', () => {
    const plan = planOf(file('calico-bgp.yaml'));
    expect(plan.problems).toEqual([]);
    expect(plan.refused).toBeUndefined();
    const [n1, n2] = plan.nodes;
    expect(n1.peerRoutes).toEqual([]);
    // The engine's proto bird routes on node-1: its blackhole and node-2's block.
    expect(n1.bird?.routes).toBe(2);
    const conf = n1.bird!.config;
    expect(conf).toContain('router id 192.168.56.10;');
    expect(conf).toContain('route 10.244.0.0/26 blackhole;');
    expect(conf).toContain('protocol bgp Mesh_192_168_56_11 from bgp_template {');
    expect(conf).toContain('neighbor 192.168.56.11 as 64512;');
    expect(conf).toContain('interface -"cali*", -"kube-ipvs*", "*";');
    // The node with the lower address waits for the other to connect (Calico's mesh is one-way).
    expect(conf).toContain('passive on');
    expect(n2.bird!.config).not.toContain('passive on');
    const script = renderLabScript(plan);
    expect(script).toContain('bird -c');
    expect(script).toContain("route show proto bird");
    expect(script).not.toContain('route add 10.244.0.64/26');
    execFileSync('bash', ['-n'], { input: script });
  });

  it('writes each pod as Calico\'s plugin makes it: /32, 169.254.1.1, cali… with ee:ee:ee:ee:ee:ee and proxy_arp', () => {
    const plan = planOf(file('calico-vxlan.yaml'));
    const pod = plan.nodes[0].pods.find((p) => p.key === 'default/client')!;
    expect(pod.hostVeth).toMatch(/^cali[0-9a-f]{11}$/);
    expect(pod.written).toEqual({ mtu: 1450, podRoutes: ['169.254.1.1/32 dev eth0 scope link', 'default via 169.254.1.1 dev eth0'], hostRoute: `10.244.0.1/32 dev ${pod.hostVeth} scope link`, hostSysctls: [`net.ipv4.conf.${pod.hostVeth}.proxy_arp=1`, `net.ipv4.neigh.${pod.hostVeth}.proxy_delay=0`, `net.ipv4.conf.${pod.hostVeth}.forwarding=1`, `net.ipv4.conf.${pod.hostVeth}.route_localnet=1`], hostNeighbour: `10.244.0.1 lladdr ${pod.mac} dev ${pod.hostVeth} nud permanent` });
    const script = renderLabScript(plan);
    expect(script).toContain(`address ee:ee:ee:ee:ee:ee mtu 1450 type veth peer name eth0`);
    expect(script).toContain(`net.ipv4.conf.${pod.hostVeth}.proxy_arp=1 net.ipv4.neigh.${pod.hostVeth}.proxy_delay=0`);
    // felix writes VXLAN's routes and blackholes (proto 80): the lab writes them too.
    expect(plan.nodes[0].peerRoutes).toEqual(['blackhole 10.244.0.0/26 proto 80', '10.244.0.64/26 via 10.244.0.64 dev vxlan.calico onlink']);
    expect(plan.nodes[0].tunnels[0]).toMatchObject({ device: 'vxlan.calico', vni: 4096, port: 4789, address: '10.244.0.0/32' });
    expect(plan.nodes[0].bird).toBeUndefined();
    execFileSync('bash', ['-n'], { input: script });
  });

  it('refuses IPIP before touching anything, and says why', () => {
    const yaml = file('calico-bgp.yaml').replace('ipipMode: Never', 'ipipMode: Always');
    const plan = planOf(yaml);
    expect(plan.refused?.code).toBe('no-ipip-in-kernel');
    const script = renderLabScript(plan);
    const up = script.slice(script.indexOf('cmd_up() {'), script.indexOf('cmd_down() {'));
    expect(up).toContain('kernel has no IPIP (no module can be loaded): the lab cannot build it');
    expect(up).not.toContain('make_netns');
  });
});
