// podpath: the command line, a thin shell over src/sim.
//   podpath ipam  PATH…
//   podpath trace PATH… --from SRC --to DST [--proto tcp|udp] [--json] [--endpoint N] [--size BYTES] [--no-hairpin] [--no-br-netfilter]
//   podpath show  PATH… NETNS
//   podpath lab   PATH… [--prefix pp]
//   podpath lesson FILE
// Exit 0 on success (whatever a trace's verdict), 2 on input a person can fix.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  compile,
  formatIssue,
  loadScenarioFiles,
  parseDestination,
  parseSource,
  show,
  trace,
  type PodpathIssue,
  type Scenario,
  type Trace,
} from '../sim/index.ts';
import { cniOf, EBPF_MODELLED } from '../sim/cni/index.ts';
import { labScript } from '../sim/lab/index.ts';
import { formatLessonIssue, loadLesson } from '../sim/lesson/index.ts';
import { formatIpam, formatLesson, formatTrace } from './format.ts';
import { readPaths, skippedText, why } from './paths.ts';
import { tcpdumpText, traceFrames } from '../sim/capture/frames.ts';
import { pcapng } from '../sim/capture/pcapng.ts';
import { hasHubble, hubbleRecords } from '../sim/flows/hubble.ts';
import { natRuleCounters } from '../sim/trace/counters.ts';
import { matrixPods, matrixText, policyMatrix } from '../sim/policy/matrix.ts';
import type { PolicyProtocol } from '../sim/policy/types.ts';

const USAGE = `podpath — Kubernetes networking, packet by packet

Usage:
  podpath ipam  PATH…                       every node, pod and Service address
  podpath trace PATH… --from SRC --to DST   walk one packet there and back
        SRC: pod/NS/NAME | deployment/NS/NAME | node/NAME | external
        DST: pod/NS/NAME:PORT | service/NS/NAME:PORT | node/NAME:PORT | IP:PORT
        [--proto tcp|udp] [--json] [--endpoint N  which Service endpoint the random pick takes, from 0]
        [--size BYTES  UDP only: the IP packet's total length, Don't Fragment set; too big for a device, it stops there]
        [--no-hairpin  every cni0 port without hairpin mode] [--no-br-netfilter  bridge-nf-call-iptables=0]
        [--pcap FILE  write every frame the trace puts on a device as pcapng (Wireshark, tcpdump -r)]
        [--tcpdump NETNS:DEVICE  print what tcpdump -n on that device would show, e.g. node-1:eth0]
        [--counters  the iptables nat rules the connection moves, per node, as iptables-save -c counts them]
  podpath flows PATH… --from SRC --to DST   the flows Hubble would show for it (Cilium only), as hubble observe -o jsonpb
        [--proto tcp|udp] [--endpoint N] [--table  one line per flow, in columns, instead of JSON]
  podpath matrix PATH… [--port P] [--proto tcp|udp] [--namespace NS]…
        who may connect to whom under the cluster's NetworkPolicies: Kubernetes' netpol e2e format
        (tab-separated; a row per client ns/pod, a column per server, . allowed, X blocked)
  podpath show  PATH… NETNS                 a netns as ip -br addr, ip route, iptables-save -t nat
        NETNS: a node's name, NS/NAME of a pod, external
  podpath lab   PATH… [--prefix pp]         a bash script that builds PATH… in real network namespaces
  podpath lesson FILE                       check a lesson file step by step, and print what each step shows
        its scenario: a file in ../scenarios/ next to the lesson's folder, or inline

FILE is multi-document YAML or JSON of Kubernetes objects plus one podpath.dev/v1alpha1 Cluster.
PATH… is one or more such files, or directories (a kubectl cluster-info dump --output-directory
tree: every .json, .yaml and .yml file under it), read together as one scenario. Without a
Cluster document, its ranges and CNI are inferred from the nodes, Services and pods.
`;

class UsageError extends Error {}

/** podpath matrix: one matrix per port (the one asked, else every port a pod declares for the protocol). */
function printMatrix(io: Io, s: Scenario, req: { port?: number; protocol: PolicyProtocol; namespaces?: string[] }): number {
  const pods = matrixPods(s, req.namespaces);
  if (!pods.length) {
    io.err(`podpath: no pod with an address${req.namespaces ? ` in namespace ${req.namespaces.join(', ')}` : ''}: no matrix to print\n`);
    return 1;
  }
  const ports = req.port !== undefined ? [req.port] : [...new Set(pods.flatMap((p) => p.ports.filter((c) => c.protocol === req.protocol).map((c) => c.containerPort)))].sort((a, b) => a - b);
  if (!ports.length) {
    io.err(`podpath: no pod declares a ${req.protocol} port: say which with --port\n`);
    return 1;
  }
  const enforcer = cniOf(s.cluster).networkPolicy;
  if (enforcer === 'none' && s.networkPolicies?.length) {
    io.err(`podpath: note: ${s.cluster.cni} does not enforce NetworkPolicy: in this cluster every X below is in fact delivered; the matrix is what the policies say, which an enforcing CNI (calico, cilium) carries out\n`);
  }
  if (!s.networkPolicies?.length) io.err('podpath: note: the input holds no NetworkPolicy: every pod may reach every other\n');
  ports.forEach((port, i) => {
    if (ports.length > 1) io.out(`${i ? '\n' : ''}# ${port}/${req.protocol}\n`);
    io.out(matrixText(policyMatrix(s, { port, protocol: req.protocol, namespaces: req.namespaces })));
  });
  return 0;
}

/** --pcap and --tcpdump: the trace's frames, as a file or as tcpdump's lines on one device. */
function capture(io: Io, t: Trace, pcapFile: string | undefined, device: string | undefined): number {
  const { frames, leftOut } = traceFrames(t);
  for (const l of leftOut) io.err(`podpath: the frame on ${l.netns} ${l.device} is left out: podpath does not know its inner Ethernet header\n`);
  if (device !== undefined) {
    const i = device.lastIndexOf(':');
    if (i <= 0 || i === device.length - 1) throw new UsageError(`--tcpdump takes NETNS:DEVICE (node-1:eth0, default/client:eth0), got "${device}"`);
    const [netns, dev] = [device.slice(0, i), device.slice(i + 1)];
    const on = frames.filter((f) => f.netns === netns && f.device === dev);
    const crossed = [...new Set(frames.map((f) => `${f.netns}:${f.device}`))];
    if (!on.length) {
      // A tunnel or bridge device the packet crosses: podpath writes no frame there (it writes frames where they cross a pod's or node's own link).
      const passed = [...t.hops, ...t.reply].some((h) => h.netns === netns && h.device === dev);
      io.err(
        passed
          ? `podpath: the trace crosses ${device}, but podpath writes frames only where they cross a veth or eth0, not on a tunnel or bridge device (tcpdump there shows the inner frame, or what the bridge passes up); the devices it writes: ${crossed.join(', ')}\n`
          : `podpath: no frame of this trace crosses ${device}; the ones it crosses: ${crossed.join(', ')}\n`,
      );
      return 1;
    }
    io.out(`# tcpdump -n -i ${dev}, in ${netns} (the TCP sequence numbers and window, IP IDs, TCP options and a tunnel's outer source port are podpath's fixed picks; a real kernel's differ)\n`);
    io.out(on.map((f) => `${f.direction === 'request' ? '→' : '←'} ${tcpdumpText(f.headers).replace(/\n/g, '\n  ')}`).join('\n') + '\n');
  }
  if (pcapFile !== undefined) {
    try {
      (io.writeFile ?? writeFileSync)(pcapFile, pcapng(frames, `podpath trace: ${t.hops[0]?.packet.src ?? ''} → ${t.hops[0]?.packet.dst ?? ''}`));
    } catch (e) {
      // A directory that is not there, no permission, a device that takes no file: said, not a stack trace.
      io.err(`podpath: cannot write ${pcapFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : why(e)}\n`);
      return 2;
    }
    io.err(`podpath: wrote ${frames.length} frame(s) on ${new Set(frames.map((f) => `${f.netns}/${f.device}`)).size} device(s) to ${pcapFile} (pcapng: one interface per device, named netns/device)\n`);
  }
  return 0;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  readFile: (path: string) => string;
  /** For --pcap (node:fs when absent). */
  writeFile?: (path: string, data: Uint8Array) => void;
  /** For PATH… arguments that are directories (node:fs when absent). */
  isDirectory?: (path: string) => boolean;
  readDir?: (path: string) => string[];
}

const nodeIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  // The bytes, then decoded: the same text (invalid UTF-8 becomes U+FFFD either way), but
  // in Node 20 readFileSync(p, 'utf8') took 80 ms for a 36 MB dump and this 45 ms.
  readFile: (p) => readFileSync(p).toString('utf8'),
};
const isDirectory = (p: string) => statSync(p).isDirectory();
const readDir = (p: string) => readdirSync(p);

function printIssues(io: Io, file: string, issues: PodpathIssue[]): number {
  for (const i of issues) {
    // Several files: each issue names its own. A problem of the file itself (it does not parse) names the file as its document already.
    const where = i.file ?? file;
    io.err(`podpath: ${i.document === where ? '' : `${where}: `}${formatIssue(i)}\n`);
  }
  return 2;
}

/** How messages name the input: its one path, or all of them. */
const inputName = (paths: string[]) => paths.join(' ');

/** Read the input; its warnings go to stderr, and into `warnings` when given (for --json). */
function load(io: Io, paths: string[], warnings?: string[]): Scenario | number {
  if (!paths.length) throw new UsageError('a scenario FILE (or directory) is required');
  const read = readPaths({ readFile: io.readFile, isDirectory: io.isDirectory ?? isDirectory, readDir: io.readDir ?? readDir }, paths);
  if (!read.ok) {
    io.err(`podpath: cannot read ${read.path}: ${read.reason}\n`);
    return 2;
  }
  if (read.skipped.length) {
    io.err(`podpath: warning: ${skippedText(read.skipped)}\n`);
    warnings?.push(skippedText(read.skipped));
  }
  if (!read.files.length) {
    io.err(`podpath: ${inputName(paths)}: no .json, .yaml or .yml file to read\n`);
    return 2;
  }
  const loaded = loadScenarioFiles(read.files);
  // A refusal comes first: what the input could not be read as matters more than what was inferred from it.
  const refused = loaded.ok ? undefined : printIssues(io, inputName(paths), loaded.issues);
  for (const w of loaded.warnings) io.err(`podpath: warning: ${w}\n`);
  warnings?.push(...loaded.warnings);
  if (refused !== undefined) return refused;
  if (!loaded.ok) return 2;
  return loaded.value;
}

export async function main(argv: string[], io: Io = nodeIo): Promise<number> {
  try {
    return run(argv, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`podpath: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

function run(argv: string[], io: Io): number {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  // `podpath trace --help`: the usage, as asked (before any `--`, after which a word is a file's name).
  const options = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
  if (options.includes('--help') || options.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  switch (command) {
    case 'ipam': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
      const s = load(io, positionals);
      if (typeof s === 'number') return s;
      io.out(formatIpam(s));
      return 0;
    }
    case 'trace': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        strict: true,
        options: { from: { type: 'string' }, to: { type: 'string' }, proto: { type: 'string', default: 'tcp' }, json: { type: 'boolean', default: false }, endpoint: { type: 'string' }, size: { type: 'string' }, 'no-hairpin': { type: 'boolean', default: false }, 'no-br-netfilter': { type: 'boolean', default: false }, pcap: { type: 'string' }, tcpdump: { type: 'string' }, counters: { type: 'boolean', default: false } },
      });
      if (!values.from || !values.to) throw new UsageError('trace needs --from and --to');
      const proto = values.proto.toLowerCase();
      if (proto !== 'tcp' && proto !== 'udp') throw new UsageError(`--proto must be tcp or udp, got "${values.proto}"`);
      const endpointIndex = values.endpoint === undefined ? undefined : Number(values.endpoint);
      if (endpointIndex !== undefined && (!Number.isInteger(endpointIndex) || endpointIndex < 0)) throw new UsageError('--endpoint must be a whole number ≥ 0');
      const size = values.size === undefined ? undefined : Number(values.size);
      if (size !== undefined && (!Number.isInteger(size) || size < 28 || size > 65535)) throw new UsageError(`--size must be a whole number of bytes 28-65535 (the IP packet's total length), got "${values.size}"`);
      const warnings: string[] = [];
      const s = load(io, positionals, warnings);
      if (typeof s === 'number') return s;
      const from = parseSource(values.from);
      const to = parseDestination(values.to);
      if (!from.ok || !to.ok) return printIssues(io, inputName(positionals), [...(from.ok ? [] : from.issues), ...(to.ok ? [] : to.issues)]);
      const bridge = { hairpinMode: !values['no-hairpin'], bridgeNfCallIptables: !values['no-br-netfilter'] };
      const result = trace(compile(s), { from: from.value, to: to.value, proto, ...(size !== undefined ? { size } : {}) }, { endpointIndex, bridge });
      if (!result.ok) return printIssues(io, inputName(positionals), result.issues);
      if (values.pcap !== undefined || values.tcpdump !== undefined) return capture(io, result.value, values.pcap, values.tcpdump);
      if (values.counters) {
        io.out(countersText(result.value));
        return 0;
      }
      io.out(values.json ? JSON.stringify(traceJson(result.value, warnings), null, 2) + '\n' : formatTrace(result.value));
      return 0;
    }
    case 'flows': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { from: { type: 'string' }, to: { type: 'string' }, proto: { type: 'string', default: 'tcp' }, endpoint: { type: 'string' }, table: { type: 'boolean', default: false } } });
      if (!values.from || !values.to) throw new UsageError('flows needs --from and --to');
      const proto = values.proto.toLowerCase();
      if (proto !== 'tcp' && proto !== 'udp') throw new UsageError(`--proto must be tcp or udp, got "${values.proto}"`);
      const endpointIndex = values.endpoint === undefined ? undefined : Number(values.endpoint);
      if (endpointIndex !== undefined && (!Number.isInteger(endpointIndex) || endpointIndex < 0)) throw new UsageError('--endpoint must be a whole number ≥ 0');
      const s = load(io, positionals);
      if (typeof s === 'number') return s;
      if (!hasHubble(s)) {
        io.err(`podpath: this cluster's CNI is ${s.cluster.cni}: Hubble is Cilium's (it reads the events Cilium's eBPF programs send), so there are no flows to show; say cni: cilium to see them\n`);
        return 1;
      }
      const from = parseSource(values.from);
      const to = parseDestination(values.to);
      if (!from.ok || !to.ok) return printIssues(io, inputName(positionals), [...(from.ok ? [] : from.issues), ...(to.ok ? [] : to.issues)]);
      const result = trace(compile(s), { from: from.value, to: to.value, proto }, { endpointIndex });
      if (!result.ok) return printIssues(io, inputName(positionals), result.issues);
      const records = hubbleRecords(s, result.value);
      if (values.table) io.out(flowsTable(records));
      else for (const r of records) io.out(JSON.stringify(r) + '\n');
      return 0;
    }
    case 'matrix': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { port: { type: 'string' }, proto: { type: 'string', default: 'tcp' }, namespace: { type: 'string', multiple: true } } });
      const protocol = values.proto.toUpperCase();
      if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') throw new UsageError(`--proto must be tcp, udp or sctp, got "${values.proto}"`);
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new UsageError(`--port must be a port number 1-65535, got "${values.port}"`);
      const s = load(io, positionals);
      if (typeof s === 'number') return s;
      return printMatrix(io, s, { port, protocol, namespaces: values.namespace });
    }
    case 'show': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
      if (!positionals[1]) throw new UsageError('show needs FILE and NETNS');
      // The last argument is the netns; every one before it is input.
      const paths = positionals.slice(0, -1);
      const netns = positionals[positionals.length - 1];
      const s = load(io, paths);
      if (typeof s === 'number') return s;
      const shown = show(compile(s), netns);
      if (!shown.ok) return printIssues(io, inputName(paths), shown.issues);
      if (shown.value.note) io.out(`# podpath: ${shown.value.note}\n\n`);
      io.out(`# ip -br addr\n${shown.value.addr}\n# ip route\n${shown.value.route}\n# iptables-save -t nat\n${shown.value.nat}\n# iptables-save -t filter\n${shown.value.filter}${shown.value.nft ? `# nft list table ip kube-proxy\n${shown.value.nft}` : ''}${shown.value.tc ? `\n# eBPF programs at tc (device, hook, program; ${EBPF_MODELLED})\n${shown.value.tc}` : ''}`);
      return 0;
    }
    case 'lab': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { prefix: { type: 'string', default: 'pp' } } });
      if (!/^[a-z][a-z0-9]{0,5}$/.test(values.prefix)) throw new UsageError(`--prefix must be 1-6 lowercase letters or digits, starting with a letter (got "${values.prefix}")`);
      const s = load(io, positionals);
      if (typeof s === 'number') return s;
      io.out(labScript(s, { prefix: values.prefix, source: inputName(positionals) }));
      return 0;
    }
    case 'lesson': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
      const file = positionals[0];
      if (!file) throw new UsageError('a lesson FILE is required');
      let text: string;
      try {
        text = io.readFile(file);
      } catch (e) {
        io.err(`podpath: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
        return 2;
      }
      // As the playground finds it: public/scenarios/NAME, beside public/lessons/.
      const scenarioFile = (name: string) => {
        try {
          return io.readFile(join(dirname(file), '..', 'scenarios', name));
        } catch {
          return undefined;
        }
      };
      const lesson = loadLesson(text, file, scenarioFile);
      if (!lesson.ok) {
        for (const i of lesson.issues) io.err(`podpath: ${formatLessonIssue(i)}\n`);
        return 2;
      }
      io.out(formatLesson(lesson.value));
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/**
 * podpath trace --counters: per node, the iptables nat rules this connection moves and by
 * how much, as the packet column of `iptables-save -c -t nat` would change (the kernel
 * differential holds every path's moved counters to these).
 */
function countersText(t: Parameters<typeof natRuleCounters>[0][number]): string {
  const counted = [...natRuleCounters([t])].filter(([, rules]) => rules.size).sort(([a], [b]) => a.localeCompare(b));
  if (!counted.length) return 'no iptables nat rule counts this connection (no node\'s nat table sees its first packet)\n';
  const lines = ['iptables nat rules this connection moves (the packet column of iptables-save -c -t nat; each rule counts a connection\'s first packet, and a VXLAN tunnel\'s outer packets, new flows both ways):'];
  for (const [netns, rules] of counted) {
    lines.push('', `${netns}:`);
    for (const [rule, n] of rules) lines.push(`  +${n}  ${rule}`);
  }
  return lines.join('\n') + '\n';
}

/** podpath flows --table: one line per flow record, in columns (podpath's own layout, not hubble's compact output). */
function flowsTable(records: ReturnType<typeof hubbleRecords>): string {
  const end = (e: ReturnType<typeof hubbleRecords>[number]['flow']['source'], ip: string, port: number) => `${e.pod_name ? `${e.namespace}/${e.pod_name}` : ip}:${port}`;
  const rows = records.map((r) => {
    const f = r.flow;
    const l4 = 'TCP' in f.l4 ? f.l4.TCP : f.l4.UDP;
    return [f.time, f.node_name, `${end(f.source, f.IP.source, l4.source_port)} -> ${end(f.destination, f.IP.destination, l4.destination_port)}`, f.verdict + (f.drop_reason_desc ? ` ${f.drop_reason_desc}` : ''), f.trace_observation_point ?? 'drop', f.traffic_direction + (f.is_reply ? ' reply' : ''), f.Summary];
  });
  const header = ['TIME', 'NODE', 'SOURCE -> DESTINATION', 'VERDICT', 'POINT', 'DIRECTION', 'SUMMARY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

/** The documented --json shape. */
function traceJson(t: Trace, warnings: string[]) {
  return { warnings, verdict: t.verdict, code: t.code, replyCode: t.replyCode ?? null, ...(t.size !== undefined ? { size: t.size, mtu: t.mtu ?? null } : {}), reason: t.reason, endpoint: t.endpoint ?? null, candidates: t.candidates, ...(t.policy ? { policy: t.policy } : {}), hops: t.hops, reply: t.reply, learned: t.learned };
}
