// What listens on a node's own network, as far as a dump says: the kubelet (a Node's
// status.daemonEndpoints.kubeletEndpoint.Port, on every real node) and the pods that
// run with hostNetwork (the API server, etcd, kube-proxy, a CNI agent…), which podpath
// does not draw but whose ports are the node's. Without this, a trace to
// node/NAME:10250 or to a hostNetwork API server's port said "nothing listens there",
// which is false of the cluster the dump came from. Each port keeps what is taken to
// listen there, so the hop can say so; podpath does not run these processes (the lab
// does not start them), it assumes them, and says it does.
import type { HostProcess, Protocol } from '../model.ts';
import { argvOf, containersOf, flag, probeTargetsOf } from './containerSpec.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** The annotation that carries a node's host processes through a save, a share link or an export. */
export const HOST_PROCESSES_ANNOTATION = 'podpath.dev/host-processes';

/** The kubelet's port, from a Node's status (a dump's Node has it; a manifest's does not). */
export function kubeletProcess(status: Obj): HostProcess | undefined {
  const endpoints = isObj(status.daemonEndpoints) ? status.daemonEndpoints : {};
  const kubelet = isObj(endpoints.kubeletEndpoint) ? endpoints.kubeletEndpoint : {};
  return isPort(kubelet.Port) ? { port: kubelet.Port, protocol: 'TCP', what: 'the kubelet' } : undefined;
}

/**
 * The ports a hostNetwork pod's containers use on its node: the ports they declare,
 * and the numeric ports their probes connect to (a static pod such as kube-apiserver
 * declares none, but its probes name its --secure-port).
 */
const isLoopback = (host: unknown) => typeof host === 'string' && (host.startsWith('127.') || host === 'localhost' || host === '::1');

export function hostNetworkPodProcesses(podSpec: Obj, podName: string): HostProcess[] {
  const out: HostProcess[] = [];
  const add = (port: unknown, protocol: unknown, how: { loopbackOnly?: boolean; byDefault?: boolean } = {}) => {
    const proto: Protocol = protocol === 'UDP' ? 'UDP' : 'TCP';
    if (!isPort(port)) return;
    const had = out.find((p) => p.port === port && p.protocol === proto);
    // The same port bound to every address as well as to the loopback: every address wins.
    if (had) {
      if (had.loopbackOnly && !how.loopbackOnly) delete had.loopbackOnly;
      return;
    }
    out.push({ port, protocol: proto, what: `hostNetwork pod ${podName}`, ...(how.loopbackOnly ? { loopbackOnly: true } : {}), ...(how.byDefault ? { byDefault: true } : {}) });
  };
  for (const c of containersOf(podSpec)) {
    for (const p of Array.isArray(c.ports) ? c.ports.filter(isObj) : []) add(p.containerPort, p.protocol);
    for (const f of flagPorts(c)) add(f.port, 'TCP', f);
    // A probe of 127.0.0.1 (kube-scheduler's --bind-address) shows a process on the loopback only: no packet from elsewhere reaches it.
    for (const { port, host } of probeTargetsOf(c)) add(port, 'TCP', { loopbackOnly: isLoopback(host) });
  }
  return out;
}

/** The port of `host:port` or of a URL, and whether its host is the loopback. */
function portOf(address: string): { port: number; loopbackOnly: boolean } | undefined {
  const m = /^(?:[a-z]+:\/\/)?(\[[^\]]*\]|[^:/]*):(\d+)\/?$/.exec(address.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  return isPort(port) ? { port, loopbackOnly: isLoopback(m[1]) || m[1] === '[::1]' } : undefined;
}

/**
 * Ports a control-plane process's flags say it serves, for the processes a probe does
 * not show: etcd's --listen-client-urls, --listen-peer-urls and --listen-metrics-urls
 * (a kubeadm etcd listens on the node's address on 2379 and 2380, on 127.0.0.1:2381
 * for metrics), a server's --secure-port (on the loopback when --bind-address says
 * 127.0.0.1), and kube-proxy's health check, 0.0.0.0:10256 unless
 * --healthz-bind-address says otherwise (kube-proxy's own default, said to be one:
 * a --config file, not in a dump, may set it).
 */
function flagPorts(c: Obj): { port: number; loopbackOnly: boolean; byDefault?: boolean }[] {
  const argv = argvOf(c);
  const out: { port: number; loopbackOnly: boolean; byDefault?: boolean }[] = [];
  for (const name of ['listen-client-urls', 'listen-peer-urls', 'listen-metrics-urls']) {
    for (const url of (flag(argv, name) ?? '').split(',')) {
      const at = url ? portOf(url) : undefined;
      if (at) out.push(at);
    }
  }
  const secure = flag(argv, 'secure-port');
  if (secure !== undefined && isPort(Number(secure))) out.push({ port: Number(secure), loopbackOnly: isLoopback(flag(argv, 'bind-address')) });
  if (argv.some((a) => a === 'kube-proxy' || a.endsWith('/kube-proxy'))) {
    const healthz = flag(argv, 'healthz-bind-address');
    const at = healthz === undefined ? { port: 10256, loopbackOnly: false, byDefault: true } : portOf(healthz);
    if (at) out.push(at);
  }
  return out;
}

/** The annotation's value for these processes (undefined: none to write). */
export function hostProcessesAnnotation(list: readonly HostProcess[] | undefined): string | undefined {
  return list?.length ? JSON.stringify(list.map(({ port, protocol, what, loopbackOnly, byDefault }) => ({ port, protocol, what, ...(loopbackOnly ? { loopbackOnly } : {}), ...(byDefault ? { byDefault } : {}) }))) : undefined;
}

/** Read the annotation back: the processes, or why it cannot be read. */
export function readHostProcessesAnnotation(text: string): { processes: HostProcess[] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'must be a JSON list of {port, protocol, what}' };
  }
  if (!Array.isArray(value)) return { problem: 'must be a JSON list of {port, protocol, what}' };
  const processes: HostProcess[] = [];
  for (const v of value) {
    if (!isObj(v) || !isPort(v.port) || (v.protocol !== 'TCP' && v.protocol !== 'UDP') || typeof v.what !== 'string' || !v.what) return { problem: `each entry must be {port: 1-65535, protocol: TCP or UDP, what: text}, got ${JSON.stringify(v).slice(0, 80)}` };
    processes.push({ port: v.port, protocol: v.protocol, what: v.what, ...(v.loopbackOnly === true ? { loopbackOnly: true } : {}), ...(v.byDefault === true ? { byDefault: true } : {}) });
  }
  return { processes };
}

/** Add processes to a node's list, one per port and protocol (the first that says so is kept). */
export function addHostProcesses(into: HostProcess[], more: readonly HostProcess[]): void {
  for (const p of more) if (!into.some((q) => q.port === p.port && q.protocol === p.protocol)) into.push(p);
}
