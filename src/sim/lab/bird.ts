// BIRD's configuration for a Calico node without encapsulation, as confd renders it
// from Calico's templates (projectcalico/calico v3.31.0 confd/etc/calico/confd/templates:
// bird.cfg, bird_aggr.cfg, bird_ipam.cfg; compiled examples in
// confd/tests/compiled_templates/mesh), translated from the BIRD 1.6 dialect Calico's
// fork speaks into BIRD 2 (Debian's bird2, what the lab runs): each protocol's
// import/export moves into an `ipv4 { }` channel; `krt_tunnel` (an attribute of
// Calico's fork only) is left out, which for no encapsulation is what it says anyway
// (`krt_tunnel = ""`); and two lines make BIRD 2 write to the kernel what Calico's
// BIRD writes (seen in the lab: without them BIRD 2 adds `metric 32` to its routes and
// copies the node network's device route as a second, `proto bird` one). The rest is Calico's: router id, the kernel protocol (learn,
// persist, scan time 2, export filter calico_kernel_programming), the direct protocol
// leaving out cali* devices, a static blackhole per own block, and the node-to-node
// mesh in AS 64512 with a `Mesh_<ip>` session per other node, passive toward a node
// whose address is the greater, exporting only the pool's blocks (calico_aggr).
import type { NodeSpec, Scenario } from '../model.ts';
import { CALICO_AS } from '../cni/calico.ts';

const meshName = (ip: string) => `Mesh_${ip.replace(/\./g, '_')}`;

/** Calico's confd compares the two addresses as strings (`gt $onode_ip $node_ip`). */
const passive = (other: string, self: string) => other > self;

export function birdConfig(s: Scenario, node: NodeSpec): string {
  const pool = s.cluster.podCIDR;
  const self = node.internalIP ?? '';
  const blocks = node.calicoBlocks ?? [];
  const aggr = blocks.flatMap((b) => [`  # Block ${b} is confirmed`, `  if ( net = ${b} ) then { accept; }`, `  if ( net ~ ${b} ) then { reject; }`]);
  const peers = s.nodes.filter((n) => n !== node && n.internalIP);
  return [
    `# Calico's BIRD configuration for node ${node.name} (confd templates of Calico v3.31.0, in BIRD 2 syntax)`,
    `router id ${self};`,
    '',
    '# bird_aggr.cfg: the blocks this node holds, as blackholes (written to the kernel `proto bird`).',
    'protocol static {',
    '  ipv4;',
    ...blocks.map((b) => `  route ${b} blackhole;`),
    '}',
    '',
    '# Aggregation of routes on this host; export the block, nothing beneath it.',
    'function calico_aggr() {',
    ...aggr,
    '}',
    '',
    '# bird_ipam.cfg',
    'function calico_export_to_bgp_peers() {',
    '  calico_aggr();',
    `  if ( net ~ ${pool} ) then { accept; }`,
    '}',
    'filter calico_kernel_programming {',
    '  # BIRD 2 only: BIRD 1.6 (Calico\'s fork) never writes device routes to the kernel.',
    '  if ( source = RTS_DEVICE ) then { reject; }',
    `  if ( net ~ ${pool} ) then { accept; }`,
    '  accept;',
    '}',
    '',
    '# bird.cfg: synchronisation between routing tables and kernel.',
    'protocol kernel {',
    '  learn;             # Learn all alien routes from the kernel',
    '  persist;           # Don\'t remove routes on bird shutdown',
    '  scan time 2;       # Scan kernel routing table every 2 seconds',
    '  graceful restart;',
    '  merge paths on;',
    '  metric 0;          # BIRD 2 only: Calico\'s BIRD writes its routes with no metric (BIRD 2 says 32)',
    '  ipv4 {',
    '    import all;',
    '    export filter calico_kernel_programming;',
    '  };',
    '}',
    '',
    'protocol device {',
    '  scan time 2;',
    '}',
    '',
    'protocol direct {',
    '  ipv4;',
    '  interface -"cali*", -"kube-ipvs*", "*";',
    '}',
    '',
    'template bgp bgp_template {',
    '  description "Connection to BGP peer";',
    `  local as ${CALICO_AS};`,
    '  graceful restart;',
    '  connect delay time 2;',
    '  connect retry time 5;',
    '  error wait time 5,30;',
    '  ipv4 {',
    '    gateway recursive;',
    '    add paths on;',
    '    import all;',
    '    export filter { calico_export_to_bgp_peers(); reject; };',
    '  };',
    '}',
    '',
    ...peers.flatMap((p) => [
      `protocol bgp ${meshName(p.internalIP!)} from bgp_template {`,
      `  neighbor ${p.internalIP} as ${CALICO_AS};`,
      `  source address ${self};`,
      ...(passive(p.internalIP!, self) ? ['  passive on; # Mesh is unidirectional, peer will connect to us.'] : []),
      '}',
    ]),
    '',
  ].join('\n');
}
