// Renders a lab plan as a bash script taking `up`, `down` or `probe`.
import type { LabNode, LabPlan, LabPod } from './plan.ts';
import { PREFIX_OK } from './plan.ts';
import { SWITCH_BRIDGE } from '../dataplane/compile.ts';
import { LISTENER_PY, PROBER_PY } from './python.ts';
import { CGROUP_OF, CILIUM_LAB_TOOLS, emitCiliumDevices, emitCiliumPrograms, emitCiliumSources, EBPF_DOWN, emitSocketLb, SOCKET_LB_DOWN } from './ciliumLab.ts';

/** Quote a value for bash: single quotes, with embedded ones closed and escaped. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
const q = shellQuote;

/** A heredoc whose body bash does not expand; the marker is chosen not to occur in the body. */
function heredoc(body: string, marker = 'PODPATH_EOF'): string {
  let m = marker;
  while (body.split('\n').includes(m)) m += '_';
  return `<<'${m}'\n${body}\n${m}`;
}

/** kube-proxy's nftables table (nftables mode), loaded in the node's netns. */
function emitNftRules(emit: (...lines: string[]) => void, node: LabNode): void {
  emit(
    `  step ${q(`node ${node.name}: load kube-proxy's nftables table ip kube-proxy (nft -f), with a counter on every rule`)}`,
    `  ip netns exec ${q(node.netns)} nft -f - ${heredoc(node.nftRules)}`,
  );
}

/** The header's word on nftables mode: what the lab adds to kube-proxy's rules, and what it needs. */
function nftHeader(plan: LabPlan): string[] {
  if (!plan.nodes.some((n) => n.nftRules)) return [];
  return [
    "#   kube-proxy runs in nftables mode: its table ip kube-proxy is loaded with nft -f",
    "#   (apt-get install nftables). Every rule carries a `counter` kube-proxy does not",
    "#   write, so `nft list table ip kube-proxy` shows which rules packets matched.",
  ];
}

export function renderLabScript(plan: LabPlan): string {
  if (!PREFIX_OK.test(plan.prefix)) {
    // Nothing is safe to name (or to remove) with such a prefix: every command only says why.
    return [
      '#!/usr/bin/env bash',
      `echo ${q(`podpath lab: the prefix "${plan.prefix}" must start with a letter or digit and hold only letters, digits, '.', '_' or '-'`)} >&2`,
      'exit 1',
      '',
    ].join('\n');
  }
  const allNetns = [plan.switchNetns, ...(plan.racks ? [...plan.racks.switches.map((x) => x.netns), plan.racks.router.netns] : []), plan.external.netns, ...plan.nodes.map((n) => n.netns), ...plan.nodes.flatMap((n) => n.pods.map((p) => p.netns))];
  const podCount = plan.nodes.reduce((k, n) => k + n.pods.length, 0);
  const out: string[] = [];
  const emit = (...lines: string[]) => out.push(...lines);

  emit(
    '#!/usr/bin/env bash',
    `# podpath lab${plan.source ? ` for ${plan.source.replace(/\n/g, ' ')}` : ''}: ${plan.nodes.length} node(s), ${podCount} pod(s), CNI ${plan.cni}.`,
    '#',
    '# Usage: sudo bash THIS-FILE up | probe | down',
    `#   up     builds the cluster in network namespaces ${plan.prefix}-* with the real CNI`,
    '#          plugins (bridge/ptp + host-local, portmap) and the kube-proxy (and flanneld',
    '#          --ip-masq) rules podpath compiled',
    '#   probe  starts a listener on every port the engine takes a pod to listen on: declared, a Service\'s target, a probe\'s (it answers with its pod\'s name)',
    '#          and makes real connections along every pod-to-pod, pod-to-Service,',
    '#          NodePort and hostPort path',
    '#   down   removes everything up made; safe after a failed up, and twice',
    '#',
    `# It touches nothing outside the namespaces it creates, except its state directory`,
    `# ${plan.stateDir} (CNI host-local data, listener bookkeeping).`,
    ...writtenPodsHeader(plan),
    '# Needs: root, iproute2, iptables, python3, containernetworking-plugins',
    `#   (apt-get install iproute2 iptables python3 containernetworking-plugins${plan.nodes.some((n) => n.bird) ? ' bird2' : ''}).`,
    ...nftHeader(plan),
    'set -Eeuo pipefail',
    '',
    `PREFIX=${q(plan.prefix)}`,
    `STATE=${q(plan.stateDir)}`,
    'CNI_PATH=/usr/lib/cni',
    ...(plan.socketLb ? [`CGROUP="${CGROUP_OF(plan.prefix)}"`] : []),
    `NETNS=(${allNetns.map(q).join(' ')})`,
    "STEP='starting'",
    '',
    'die() { echo "podpath lab: $*" >&2; exit 1; }',
    'step() { STEP="$*"; echo "==> $*"; }',
    'on_error() {',
    '  echo "podpath lab: FAILED while: $STEP" >&2',
    '  echo "podpath lab: the command that failed: $BASH_COMMAND" >&2',
    '  echo "podpath lab: run \\"bash $0 down\\" to remove what was made" >&2',
    '}',
    'netns_exists() { [ -e "/run/netns/$1" ]; }',
    '',
    '# A new netns: IPv4 only (podpath models IPv4; no link-local IPv6 noise), lo up.',
    'make_netns() {',
    '  ip netns add "$1"',
    '  echo "$1" >> "$STATE/netns"',
    '  if [ -d /proc/sys/net/ipv6 ]; then',
    '    ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1',
    '  fi',
    '  ip -n "$1" link set lo up',
    '}',
    '',
    '# Run a CNI plugin inside a node netns; the pod netns is its CNI_NETNS.',
    '# cni_exec NODE_NS POD_NS CONTAINER_ID PLUGIN CNI_ARGS CONFIG',
    'cni_exec() {',
    '  local out',
    '  if ! out=$(ip netns exec "$1" env CNI_COMMAND=ADD CNI_CONTAINERID="$3" CNI_NETNS="/run/netns/$2" \\',
    '      CNI_IFNAME=eth0 CNI_PATH="$CNI_PATH" CNI_ARGS="$5" "$CNI_PATH/$4" <<<"$6"); then',
    '    echo "$out" >&2',
    '    return 1',
    '  fi',
    '  printf "%s" "$out"',
    '}',
    '# set_pod_macs NODE_NS POD_NS POD_MAC HOST_MAC: the engine\'s MACs on both ends of the pod\'s veth',
    '# (the host end is found by the peer index its pod end names: eth0@ifN).',
    'set_pod_macs() {',
    '  local peer host',
    '  peer=$(ip -n "$2" -o link show eth0 | sed -n \'s/^[0-9]*: eth0@if\\([0-9]*\\):.*/\\1/p\')',
    '  host=$(ip -n "$1" -o link show | awk -F\': \' -v i="$peer" \'$1 == i { sub(/@.*/, "", $2); print $2 }\')',
    '  [ -n "$host" ] || { echo "podpath lab: no host end for eth0 of $2 in $1" >&2; return 1; }',
    '  ip -n "$2" link set eth0 address "$3"',
    '  ip -n "$1" link set "$host" address "$4"',
    '}',
    '# cni_del NODE_NS POD_NS CONTAINER_ID PLUGIN CNI_ARGS CONFIG: the same, DEL',
    'cni_del() {',
    '  ip netns exec "$1" env CNI_COMMAND=DEL CNI_CONTAINERID="$3" CNI_NETNS="/run/netns/$2" \\',
    '    CNI_IFNAME=eth0 CNI_PATH="$CNI_PATH" CNI_ARGS="$5" "$CNI_PATH/$4" <<<"$6"',
    '}',
    '',
    'require() {',
    '  local missing=0',
    '  if [ "$(id -u)" != 0 ]; then',
    '    echo "podpath lab: must run as root (network namespaces need CAP_NET_ADMIN): sudo bash $0 $1" >&2',
    '    exit 1',
    '  fi',
    '  for tool in ip bridge; do',
    '    command -v "$tool" >/dev/null || { echo "podpath lab: $tool is missing: apt-get install iproute2" >&2; missing=1; }',
    '  done',
    '  for tool in iptables iptables-restore; do',
    '    command -v "$tool" >/dev/null || { echo "podpath lab: $tool is missing: apt-get install iptables" >&2; missing=1; }',
    '  done',
    '  command -v python3 >/dev/null || { echo "podpath lab: python3 is missing (probe runs listeners with it): apt-get install python3" >&2; missing=1; }',
    '  for plugin in bridge host-local portmap ptp; do',
    '    [ -x "$CNI_PATH/$plugin" ] || { echo "podpath lab: CNI plugin $CNI_PATH/$plugin is missing: apt-get install containernetworking-plugins" >&2; missing=1; }',
    '  done',
    ...(plan.nodes.some((n) => n.bird)
      ? ['  for tool in bird birdc; do', '    command -v "$tool" >/dev/null || { echo "podpath lab: $tool is missing (Calico\'s BGP routes are learned by real BIRD): apt-get install bird2" >&2; missing=1; }', '  done']
      : []),
    ...(plan.nodes.some((n) => n.ebpf)
      ? [`  for tool in ${CILIUM_LAB_TOOLS.join(' ')}; do`, '    command -v "$tool" >/dev/null || { echo "podpath lab: $tool is missing (podpath\'s eBPF programs are built and attached with it): apt-get install clang libbpf-dev bpftool iproute2" >&2; missing=1; }', '  done', '  [ -e /usr/include/bpf/bpf_helpers.h ] || { echo "podpath lab: libbpf\'s headers are missing: apt-get install libbpf-dev" >&2; missing=1; }']
      : []),
    ...(plan.nodes.some((n) => n.ipsets.length) ? ['  command -v ipset >/dev/null || { echo "podpath lab: ipset is missing (the CNI\'s rules match an ipset): apt-get install ipset" >&2; missing=1; }'] : []),
    ...(plan.socketLb ? ['  [ -n "$(awk \'$3 == "cgroup2" { print $2; exit }\' /proc/mounts)" ] || { echo "podpath lab: no cgroup2 mount: socket-LB attaches to a cgroup v2" >&2; missing=1; }'] : []),
    '  if [ ! -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then',
    '    echo "podpath lab: the br_netfilter module is not loaded, so bridged pod traffic would skip kube-proxy\'s rules: modprobe br_netfilter" >&2',
    '    missing=1',
    '  fi',
    '  [ "$missing" = 0 ] || exit 1',
    '}',
    '',
  );

  // up
  emit('cmd_up() {', '  require up');
  if (plan.refused) {
    emit(`  echo ${q(`podpath lab: ${plan.refused.said}`)} >&2`, '  exit 1', '}', '');
  } else if (plan.problems.length) {
    emit(...plan.problems.map((p) => `  echo ${q(`podpath lab: ${p}`)} >&2`), '  exit 1', '}', '');
  } else {
    emit(
      '  for ns in "${NETNS[@]}"; do',
      '    netns_exists "$ns" && die "netns $ns already exists (the lab is up, or a previous up failed): run \\"bash $0 down\\" first"',
      '  done',
      '  trap on_error ERR',
      '  # No netns of ours exists, so any state left here is stale: host-local would carry',
      '  # on after its old last_reserved_ip and hand out different addresses.',
      '  rm -rf -- "$STATE"',
      '  mkdir -p "$STATE/cni" "$STATE/results"',
      '  : > "$STATE/netns"',
      '',
      `  step ${q(`node network: switch netns ${plan.switchNetns} with bridge ${SWITCH_BRIDGE}`)}`,
      `  make_netns ${q(plan.switchNetns)}`,
      `  ip -n ${q(plan.switchNetns)} link add ${SWITCH_BRIDGE} type bridge`,
      ...(plan.switchMac ? [`  ip -n ${q(plan.switchNetns)} link set ${SWITCH_BRIDGE} address ${plan.switchMac}`] : []),
      `  ip -n ${q(plan.switchNetns)} link set ${SWITCH_BRIDGE} up`,
    );
    // Racks: a switch for each other node network.
    for (const sw of plan.racks?.switches ?? []) {
      emit(
        `  step ${q(`another node network (a rack): switch netns ${sw.netns} with bridge ${SWITCH_BRIDGE}`)}`,
        `  make_netns ${q(sw.netns)}`,
        `  ip -n ${q(sw.netns)} link add ${SWITCH_BRIDGE} type bridge`,
        ...(sw.mac ? [`  ip -n ${q(sw.netns)} link set ${SWITCH_BRIDGE} address ${sw.mac}`] : []),
        `  ip -n ${q(sw.netns)} link set ${SWITCH_BRIDGE} up`,
      );
    }
    for (const node of plan.nodes) {
      emitNodeBase(emit, plan, node);
      if (node.ebpf) emitCiliumDevices(emit, q, node.name, node.netns, node.ebpf);
    }
    emitPlug(emit, plan, plan.external.netns, plan.external.switchPort, plan.external.ip, 'the external client', plan.external);
    if (plan.racks) emitRouter(emit, plan, plan.racks);
    for (const node of plan.nodes) {
      for (const set of node.ipsets) {
        emit(
          `  step ${q(`node ${node.name}: ipset ${set.name} (${set.members.join(', ')}), which its rules match`)}`,
          `  ip netns exec ${q(node.netns)} ipset create ${q(set.name)} ${set.type}`,
          ...set.members.map((m) => `  ip netns exec ${q(node.netns)} ipset add ${q(set.name)} ${m}`),
        );
      }
      if (node.cniRules) emitCniRules(emit, node);
      if (node.kubeProxyRules) {
        emit(
          `  step ${q(`node ${node.name}: load kube-proxy's rules (iptables-restore --noflush), before any pod so its jumps come first as on a real node`)}`,
          `  ip netns exec ${q(node.netns)} iptables-restore --noflush ${heredoc(node.kubeProxyRules)}`,
        );
      }
      if (node.nftRules) emitNftRules(emit, node);
      if (node.flannelRules) {
        emit(
          `  step ${q(`node ${node.name}: load flanneld's masquerade rules (--ip-masq: FLANNEL-POSTRTG), appended after kube-proxy's as flanneld appends its jump`)}`,
          `  ip netns exec ${q(node.netns)} iptables-restore --noflush ${heredoc(node.flannelRules)}`,
        );
      }
      if (node.cniAppended) {
        emit(
          `  step ${q(`node ${node.name}: the CNI daemon's rules appended to the built-in chains after kube-proxy's (felix: accept what a policy accepted)`)}`,
          `  ip netns exec ${q(node.netns)} iptables-restore --noflush ${heredoc(node.cniAppended)}`,
        );
      }
    }
    for (const node of plan.nodes) {
      for (const pod of node.pods) (pod.written ? emitWrittenPod : emitPod)(emit, plan, node, pod);
      if (node.cni0Placeholder) emitCni0WithoutPods(emit, node, node.cni0Placeholder);
    }
    for (const node of plan.nodes) emitPeers(emit, plan, node);
    if (plan.nodes.some((n) => n.bird)) emitBird(emit, plan);
    if (plan.nodes.some((n) => n.ebpf)) {
      emitCiliumSources(emit, heredoc, plan.socketLb);
      for (const node of plan.nodes) if (node.ebpf) emitCiliumPrograms(emit, q, node.name, node.netns, node.ebpf);
      if (plan.socketLb) emitSocketLb(emit, q, heredoc, plan.socketLb);
    }
    emit(`  trap - ERR`, `  echo "podpath lab is up: ${plan.nodes.length} node(s), ${podCount} pod(s). Try: bash $0 probe"`, '}', '');
  }

  // down
  emit(
    'cmd_down() {',
    '  if [ "$(id -u)" != 0 ]; then die "must run as root: sudo bash $0 down"; fi',
    '  local names=("${NETNS[@]}") removed=0 ns pids',
    '  if [ -f "$STATE/netns" ]; then',
    '    while IFS= read -r ns; do [ -n "$ns" ] && names+=("$ns"); done < "$STATE/netns"',
    '  fi',
    '  # A netns lives on while a process (a listener) is inside it: stop those first.',
    '  for ns in "${names[@]}"; do',
    '    if netns_exists "$ns"; then',
    '      pids=$(ip netns pids "$ns" 2>/dev/null || true)',
    '      if [ -n "$pids" ]; then kill $pids 2>/dev/null || true; fi',
    '    fi',
    '  done',
    '  for ns in "${names[@]}"; do',
    '    if netns_exists "$ns"; then',
    '      ip netns del "$ns" && removed=$((removed + 1))',
    '    fi',
    '  done',
    ...(plan.socketLb ? SOCKET_LB_DOWN : []),
    ...(plan.nodes.some((n) => n.ebpf) ? EBPF_DOWN : []),
    '  rm -rf -- "$STATE"',
    '  echo "podpath lab is down: removed $removed netns"',
    '}',
    '',
  );

  // probe
  const listeners = plan.nodes.flatMap((n) => n.pods).filter((p) => p.ports.length > 0);
  const sources = [...new Set(plan.probes.map((p) => p.fromNetns))];
  emit(
    'stop_listeners() {',
    '  if [ -f "$STATE/listeners" ]; then',
    '    while IFS= read -r pid; do kill "$pid" 2>/dev/null || true; done < "$STATE/listeners"',
    '    rm -f "$STATE/listeners"',
    '  fi',
    '}',
    '',
    'cmd_probe() {',
    '  require probe',
    '  for ns in "${NETNS[@]}"; do',
    '    netns_exists "$ns" || die "netns $ns does not exist: run \\"bash $0 up\\" first"',
    '  done',
    '  mkdir -p "$STATE/ready"',
    `  cat > "$STATE/listen.py" ${heredoc(LISTENER_PY)}`,
    `  cat > "$STATE/probe.py" ${heredoc(PROBER_PY)}`,
    '  stop_listeners',
    '  trap stop_listeners EXIT',
    '  rm -f "$STATE"/ready/*',
  );
  for (const pod of listeners) {
    emit(
      `  ip netns exec ${q(pod.netns)} python3 "$STATE/listen.py" ${q(pod.key)} "$STATE/ready/"${q(pod.netns)} ${pod.ports.map((p) => `${p.port}/${p.protocol}`).join(' ')} 2>>"$STATE/listen.log" &`,
      '  echo $! >> "$STATE/listeners"',
    );
  }
  emit(
    `  local want=${listeners.length} waited=0`,
    '  while [ "$(ls "$STATE/ready" | wc -l)" -lt "$want" ]; do',
    '    sleep 0.1; waited=$((waited + 1))',
    '    [ "$waited" -lt 100 ] || die "listeners did not start within 10s: see $STATE/listen.log"',
    '  done',
    `  echo "listening: ${listeners.length} pod(s); probing ${plan.probes.length} path(s)"`,
    '  local probers=()',
  );
  for (const src of sources) {
    const lines = plan.probes.filter((p) => p.fromNetns === src).map((p) => [p.label, p.ip, String(p.port), p.protocol, String(p.tries)].join('\t'));
    // Socket-LB rewrites only the connects of processes in the lab's cgroup: the probers join it first, but
    // the external client's, which stands for a host outside the cluster, where no Cilium runs.
    // Each node's cgroup holds its own connect4 program (its agent's view of the Services).
    const node = plan.nodes.find((n) => n.netns === src || n.pods.some((p) => p.netns === src));
    const inCgroup = plan.socketLb && node ? `sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CGROUP/"${q(node.name)} ` : '';
    // Each source probes at once with the others (a path a policy drops waits out its timeout; one after another they would add up).
    emit(`  ${inCgroup}ip netns exec ${q(src)} python3 "$STATE/probe.py" ${heredoc(lines.join('\n')).replace('\n', ' &\n')}`, '  probers+=($!)');
  }
  // Only the probers: the listeners run in the background of this shell too, until stop_listeners.
  emit('  wait "${probers[@]}"', '}', '');

  emit(
    'case "${1:-}" in',
    '  up) cmd_up ;;',
    '  down) cmd_down ;;',
    '  probe) cmd_probe ;;',
    '  *) echo "usage: sudo bash $0 up|probe|down" >&2; exit 2 ;;',
    'esac',
    '',
  );
  return out.join('\n');
}

function emitPlug(emit: (...l: string[]) => void, plan: LabPlan, netns: string, port: string, ip: string, what: string, macs: { mac?: string; switchPortMac?: string; switchNetns?: string; prefix?: number }) {
  // The engine's MACs on both ends of the wire, when it has them.
  const portMac = macs.switchPortMac ? ` address ${macs.switchPortMac}` : '';
  const eth0Mac = macs.mac ? ` address ${macs.mac}` : '';
  // Its own network's switch (racks: its rack's), else the one node network's.
  const sw = macs.switchNetns ?? plan.switchNetns;
  const prefix = macs.prefix ?? plan.nodeNetworkPrefix;
  emit(
    `  step ${q(`${what}: netns ${netns}, eth0 ${ip}/${prefix}${macs.mac ? ` (MAC ${macs.mac})` : ''} on the switch${sw !== plan.switchNetns ? ` ${sw}` : ''}`)}`,
    `  make_netns ${q(netns)}`,
    `  ip -n ${q(sw)} link add ${q(port)}${portMac} type veth peer name eth0${eth0Mac} netns ${q(netns)}`,
    `  ip -n ${q(sw)} link set ${q(port)} master ${SWITCH_BRIDGE} up`,
    `  ip -n ${q(netns)} addr add ${ip}/${prefix} dev eth0`,
    `  ip -n ${q(netns)} link set eth0 up`,
  );
}

/** Racks: the router, a port on each node network's switch holding its .1, forwarding between them; the external client's routes through it. */
function emitRouter(emit: (...l: string[]) => void, plan: LabPlan, racks: NonNullable<LabPlan['racks']>) {
  const r = racks.router;
  emit(`  step ${q(`the router joining the node networks: netns ${r.netns}, ${r.ports.map((p) => `${p.device} ${p.ip}/${p.prefix}`).join(', ')}, ip_forward=1`)}`, `  make_netns ${q(r.netns)}`);
  for (const p of r.ports) {
    emit(
      `  ip -n ${q(p.switchNetns)} link add ${q(p.switchPort)}${p.switchPortMac ? ` address ${p.switchPortMac}` : ''} type veth peer name ${p.device} address ${p.mac} netns ${q(r.netns)}`,
      `  ip -n ${q(p.switchNetns)} link set ${q(p.switchPort)} master ${SWITCH_BRIDGE} up`,
      `  ip -n ${q(r.netns)} addr add ${p.ip}/${p.prefix} dev ${p.device}`,
      `  ip -n ${q(r.netns)} link set ${p.device} up`,
    );
  }
  emit(`  ip netns exec ${q(r.netns)} sysctl -qw net.ipv4.ip_forward=1`);
  for (const route of racks.externalRoutes) emit(`  ip -n ${q(plan.external.netns)} route add ${route}`);
}

function emitNodeBase(emit: (...l: string[]) => void, plan: LabPlan, node: LabNode) {
  const ns = q(node.netns);
  emitPlug(emit, plan, node.netns, node.switchPort, node.ip, `node ${node.name}`, node);
  emit(
    `  ip -n ${ns} route add default via ${node.gateway} dev eth0`,
    `  step ${q(`node ${node.name}: ip_forward=1 and bridge-nf-call-iptables=1 (per netns in this kernel)`)}`,
    `  ip netns exec ${ns} sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1`,
    // kube-proxy (iptables mode) sets this so NodePorts answer on 127.0.0.1.
    `  step ${q(`node ${node.name}: route_localnet=1, as kube-proxy sets it for localhost NodePorts`)}`,
    `  ip netns exec ${ns} sysctl -qw net.ipv4.conf.all.route_localnet=1`,
  );
  if (node.eth0ArpIgnore) {
    // ptp puts the node network's .1 (the pods' gateway) on every host veth; with
    // Linux's default arp_ignore=0 each node would then answer ARP for .1 on eth0 and
    // pose as the VPC router. In a VPC the router is the fabric's, not a node's.
    emit(
      `  step ${q(`node ${node.name}: eth0 answers ARP only for its own address (arp_ignore=1): the node network's router ${plan.router} is not a node`)}`,
      `  ip netns exec ${ns} sysctl -qw net.ipv4.conf.eth0.arp_ignore=1`,
    );
  }
  emit(`  cat > "$STATE/cni/"${q(`${node.name}.conf`)} ${heredoc(node.cniConfig)}`);
  // The tunnel device, as the CNI's daemon makes it (flanneld: learning off, the peers written by it).
  for (const t of node.tunnels) {
    emit(
      `  step ${q(`node ${node.name}: ${t.device} (VXLAN VNI ${t.vni}, UDP ${t.port}, local ${t.local}, MAC ${t.mac}) with ${t.address}`)}`,
      `  ip -n ${ns} link add ${t.device} type vxlan id ${t.vni} dstport ${t.port} local ${t.local} dev eth0 nolearning`,
      `  ip -n ${ns} link set ${t.device} address ${t.mac}`,
      `  ip -n ${ns} link set ${t.device} mtu ${t.mtu}`,
      `  ip -n ${ns} addr add ${t.address} dev ${t.device}`,
      `  ip -n ${ns} link set ${t.device} up`,
    );
  }
}

function emitPod(emit: (...l: string[]) => void, plan: LabPlan, node: LabNode, pod: LabPod) {
  const [namespace, name] = pod.key.split('/');
  const plugin = plan.podPlugin;
  const network = plan.networkName;
  const args = [`IgnoreUnknown=1`, `K8S_POD_NAMESPACE=${namespace}`, `K8S_POD_NAME=${name}`, `K8S_POD_INFRA_CONTAINER_ID=${pod.containerId}`];
  if (pod.requestIP) args.push(`IP=${pod.ip}`);
  const how = pod.requestIP ? `asking host-local for ${pod.ip}` : `host-local picks the address (podpath says ${pod.ip})`;
  const result = `"$STATE/results/"${q(`${pod.containerId}.json`)}`;
  emit(
    `  step ${q(`node ${node.name}: pod ${pod.key} in netns ${pod.netns}, CNI ${plugin} + host-local, ${how}`)}`,
    `  make_netns ${q(pod.netns)}`,
    `  cni_exec ${q(node.netns)} ${q(pod.netns)} ${q(pod.containerId)} ${plugin} ${q(args.join(';'))} "$(cat "$STATE/cni/"${q(`${node.name}.conf`)})" > ${result}`,
  );
  // The plugin picked random MACs (and named the host end itself): give both ends the engine's.
  if (pod.mac && pod.hostVethMac) emit(`  set_pod_macs ${q(node.netns)} ${q(pod.netns)} ${pod.mac} ${pod.hostVethMac}`);
  if (node.cni0Mac) emit(`  ip -n ${q(node.netns)} link set cni0 address ${node.cni0Mac}`);
  if (pod.hostPorts.length) {
    const mappings = JSON.stringify(pod.hostPorts.map((h) => ({ hostPort: h.hostPort, containerPort: h.containerPort, protocol: h.protocol.toLowerCase() })));
    const head = `{"cniVersion":"1.0.0","name":"${network}","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":${mappings}},"prevResult":`;
    emit(
      `  step ${q(`node ${node.name}: pod ${pod.key} hostPort ${pod.hostPorts.map((h) => `${h.hostPort}->${h.containerPort}/${h.protocol}`).join(', ')} with the portmap plugin (chained after ${plugin})`)}`,
      `  cni_exec ${q(node.netns)} ${q(pod.netns)} ${q(pod.containerId)} portmap ${q(args.join(';'))} ${q(head)}"$(cat ${result})}" > /dev/null`,
    );
  }
}

/** A node whose pods are all gone still has cni0: ADD then DEL a placeholder, as its history did. */
function emitCni0WithoutPods(emit: (...l: string[]) => void, node: LabNode, placeholder: { netns: string; containerId: string }) {
  const conf = `"$(cat "$STATE/cni/"${q(`${node.name}.conf`)})"`;
  const ids = `${q(node.netns)} ${q(placeholder.netns)} ${q(placeholder.containerId)} bridge 'IgnoreUnknown=1' ${conf}`;
  emit(
    `  step ${q(`node ${node.name}: cni0 without pods (its last pod is gone): the bridge plugin's ADD then DEL for a placeholder leaves cni0 behind`)}`,
    `  make_netns ${q(placeholder.netns)}`,
    `  cni_exec ${ids} > /dev/null`,
    ...(node.cni0Mac ? [`  ip -n ${q(node.netns)} link set cni0 address ${node.cni0Mac}`] : []),
    `  cni_del ${ids}`,
    `  ip netns del ${q(placeholder.netns)}`,
    '  # The kernel drops cni0\'s carrier (NO-CARRIER, state DOWN, routes linkdown) a moment after its last port goes.',
    `  for _ in $(seq 50); do ip -n ${q(node.netns)} -o link show cni0 | grep -q 'state DOWN' && break; sleep 0.1; done`,
  );
}

function emitPeers(emit: (...l: string[]) => void, plan: LabPlan, node: LabNode) {
  const ns = q(node.netns);
  if (node.fabricAddresses.length) {
    // A VPC has no routes for other nodes' pods: they are on-link, and the fabric answers
    // ARP for a secondary address with the MAC of the ENI holding it. Here the node's eth0
    // answers for its own pods (proxy ARP entries, answered at once: proxy_delay=0).
    emit(
      `  step ${q(`the VPC fabric: ARP for ${node.name}'s pods (${node.fabricAddresses.join(', ')}) is answered with ${node.name}'s eth0 MAC (proxy ARP entries on its eth0 play the fabric)`)}`,
      `  ip netns exec ${ns} sysctl -qw net.ipv4.neigh.eth0.proxy_delay=0`,
      ...node.fabricAddresses.map((ip) => `  ip -n ${ns} neigh add proxy ${ip} dev eth0`),
    );
  }
  if (!node.peerRoutes.length) return;
  emit(`  step ${q(`node ${node.name}: ${plan.remotesSaid}`)}`);
  for (const r of node.peerRoutes) emit(`  ip -n ${ns} route add ${r}`);
  for (const n of node.neighbours) emit(`  ip -n ${ns} neigh add ${n}`);
  for (const f of node.fdb) emit(`  ip netns exec ${ns} bridge fdb append ${f}`);
}

// ---- Calico: pods written as its CNI plugin leaves them, felix's rules, BIRD ----

/** The header's word on what the lab writes by hand because the CNI's own plugin cannot run here. */
function writtenPodsHeader(plan: LabPlan): string[] {
  if (plan.podPlugin !== 'written') return [];
  return ['#', ...plan.writtenSaid.map((l) => `# ${l}`)];
}

function emitCniRules(emit: (...l: string[]) => void, node: LabNode) {
  emit(
    `  step ${q(`node ${node.name}: load the CNI daemon's nat rules (felix's cali-POSTROUTING → cali-nat-outgoing, Cilium's CILIUM_POST_nat), first, as it inserts its jump at the top`)}`,
    `  ip netns exec ${q(node.netns)} iptables-restore --noflush ${heredoc(node.cniRules)}`,
  );
}

/** A pod as Calico's CNI plugin wires it, written with ip commands. */
function emitWrittenPod(emit: (...l: string[]) => void, plan: LabPlan, node: LabNode, pod: LabPod) {
  const w = pod.written!;
  const ns = q(node.netns);
  const pns = q(pod.netns);
  const veth = q(pod.hostVeth!);
  const result = `"$STATE/results/"${q(`${pod.containerId}.json`)}`;
  const cniResult = { cniVersion: '1.0.0', interfaces: [{ name: pod.hostVeth, mac: pod.hostVethMac }, { name: 'eth0', mac: pod.mac, sandbox: `/run/netns/${pod.netns}` }], ips: [{ address: `${pod.ip}/32`, interface: 1 }] };
  emit(
    `  step ${q(`node ${node.name}: pod ${pod.key} in netns ${pod.netns}: eth0 ${pod.ip}/32, host end ${pod.hostVeth} (as the CNI plugin would make them)`)}`,
    `  make_netns ${pns}`,
    `  ip -n ${ns} link add ${veth} address ${pod.hostVethMac} mtu ${w.mtu} type veth peer name eth0 address ${pod.mac} mtu ${w.mtu} netns ${pns}`,
    ...(w.hostSysctls.length ? [`  ip netns exec ${ns} sysctl -qw ${w.hostSysctls.join(' ')}`] : []),
    `  ip -n ${ns} link set ${veth} up`,
    `  ip -n ${pns} addr add ${pod.ip}/32 dev eth0`,
    `  ip -n ${pns} link set eth0 up`,
    ...w.podRoutes.map((r) => `  ip -n ${pns} route add ${r}`),
    ...(w.hostRoute ? [`  ip -n ${ns} route add ${w.hostRoute}`] : []),
    ...(w.hostNeighbour ? [`  ip -n ${ns} neigh add ${w.hostNeighbour}`] : []),
    // The CNI result portmap is chained after (prevResult), as Calico's plugin returns it.
    `  printf '%s' ${q(JSON.stringify(cniResult))} > ${result}`,
  );
  if (pod.hostPorts.length) {
    const [namespace, name] = pod.key.split('/');
    const args = [`IgnoreUnknown=1`, `K8S_POD_NAMESPACE=${namespace}`, `K8S_POD_NAME=${name}`, `K8S_POD_INFRA_CONTAINER_ID=${pod.containerId}`];
    const mappings = JSON.stringify(pod.hostPorts.map((h) => ({ hostPort: h.hostPort, containerPort: h.containerPort, protocol: h.protocol.toLowerCase() })));
    const head = `{"cniVersion":"1.0.0","name":"${plan.networkName}","type":"portmap","snat":true,"capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":${mappings}},"prevResult":`;
    emit(
      `  step ${q(`node ${node.name}: pod ${pod.key} hostPort ${pod.hostPorts.map((h) => `${h.hostPort}->${h.containerPort}/${h.protocol}`).join(', ')} with the portmap plugin (chained in Calico's conflist)`)}`,
      `  cni_exec ${ns} ${pns} ${q(pod.containerId)} portmap ${q(args.join(';'))} ${q(head)}"$(cat ${result})}" > /dev/null`,
    );
  }
}

/** Real BIRD in every node netns; `up` waits until each has written the routes the engine says it learns. */
function emitBird(emit: (...l: string[]) => void, plan: LabPlan) {
  emit('  mkdir -p "$STATE/bird"');
  for (const node of plan.nodes) {
    if (!node.bird) continue;
    const conf = `"$STATE/bird/"${q(`${node.name}.conf`)}`;
    emit(
      `  step ${q(`node ${node.name}: BIRD (iBGP full mesh, AS 64512) with Calico's configuration`)}`,
      `  cat > ${conf} ${heredoc(node.bird.config)}`,
      `  ip netns exec ${q(node.netns)} bird -c ${conf} -s "$STATE/bird/"${q(`${node.name}.ctl`)} -P "$STATE/bird/"${q(`${node.name}.pid`)}`,
    );
  }
  emit(`  step ${q("BGP: wait for every node's BIRD to learn the other nodes' blocks (proto bird routes), 60 s at most")}`);
  for (const node of plan.nodes) {
    if (!node.bird) continue;
    const count = `"$(ip -n ${q(node.netns)} route show proto bird | grep -c . || true)"`;
    emit(
      `  for _ in $(seq 600); do [ ${count} -ge ${node.bird.routes} ] && break; sleep 0.1; done`,
      `  if [ ${count} -lt ${node.bird.routes} ]; then`,
      `    echo ${q(`podpath lab: node ${node.name}: BIRD has not written the ${node.bird.routes} proto bird route(s) podpath expects within 60 s; its sessions:`)} >&2`,
      `    birdc -s "$STATE/bird/"${q(`${node.name}.ctl`)} show protocols >&2 || true`,
      '    false',
      '  fi',
    );
  }
}
