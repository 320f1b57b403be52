// What a pod's probes and container statuses say about what listens in it.
// containerPort is informational in Kubernetes, so a port no container declares may
// still be served: a probe the kubelet runs against a port is evidence a process
// answers there (coredns' `health` plugin on 8080, declared by no container). And a
// container a dump shows waiting in CrashLoopBackOff has no process at all, whatever
// ports it declares. Both travel through save and share: the probe ports as an
// annotation (the pod written back has one container and no probes), the states as
// status.containerStatuses, where Kubernetes keeps them.
import type { ContainerDown, ContainerPort } from '../model.ts';
import { containersOf, probeTargetsOf } from './containerSpec.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** Carries a pod's probe ports through a save, a share link or an export. */
export const PROBE_PORTS_ANNOTATION = 'podpath.dev/probe-ports';

/**
 * The TCP ports the containers' probes connect to on the pod's own address that no
 * container declares. A named port resolves to a declared one (nothing new); a probe
 * with `host` set goes to that host, not the pod, so it says nothing about the pod.
 */
export function probePortsOf(podSpec: Obj, declared: readonly ContainerPort[]): number[] {
  const out: number[] = [];
  for (const c of containersOf(podSpec)) {
    for (const { port, host } of probeTargetsOf(c)) {
      if (host !== undefined || !isPort(port) || out.includes(port)) continue;
      if (declared.some((d) => d.containerPort === port && d.protocol === 'TCP')) continue;
      out.push(port);
    }
  }
  return out.sort((a, b) => a - b);
}

/** The annotation read back: the ports, or why it cannot be read. */
export function readProbePortsAnnotation(text: string): { ports: number[] } | { problem: string } {
  const parts = text.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const ports = parts.map(Number);
  if (!ports.every(isPort)) return { problem: `must be TCP ports 1-65535 separated by commas, got ${JSON.stringify(text.slice(0, 80))}` };
  return { ports: [...new Set(ports)].sort((a, b) => a - b) };
}

/** The ports a container declares and its probes check (on the pod's own address). */
function containerPorts(c: Obj): ContainerDown['ports'] {
  const out: ContainerDown['ports'] = [];
  const add = (port: unknown, protocol: 'TCP' | 'UDP', probed = false) => {
    if (isPort(port) && !out.some((p) => p.port === port && p.protocol === protocol)) out.push({ port, protocol, ...(probed ? { probed } : {}) });
  };
  const declared = Array.isArray(c.ports) ? c.ports.filter(isObj) : [];
  for (const p of declared) add(p.containerPort, p.protocol === 'UDP' ? 'UDP' : 'TCP');
  for (const { port, host } of probeTargetsOf(c)) {
    if (host !== undefined) continue;
    // A named probe port is one of the container's own declared ports.
    add(typeof port === 'string' ? declared.find((p) => p.name === port)?.containerPort : port, 'TCP', true);
  }
  return out;
}

/**
 * The containers status.containerStatuses shows not running, with the kubelet's
 * reason and the ports each would serve; and whether none of the pod's runs.
 */
export function containersDownOf(status: Obj, podSpec: Obj): { down: ContainerDown[]; noneRunning: boolean } {
  // A manifest's pod (no status) has no container down: nothing to make for it.
  if (status.containerStatuses === undefined) return { down: [], noneRunning: false };
  const down: ContainerDown[] = [];
  const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses.filter(isObj) : [];
  const containers = containersOf(podSpec);
  for (const c of statuses) {
    const name = typeof c.name === 'string' && c.name ? c.name : `containerStatuses[${down.length}]`;
    const state = isObj(c.state) ? c.state : {};
    if (isObj(state.running)) continue;
    for (const key of ['waiting', 'terminated'] as const) {
      const s = state[key];
      if (!isObj(s)) continue;
      const spec = containers.find((x) => x.name === name);
      down.push({ container: name, state: key, ...(typeof s.reason === 'string' && s.reason ? { reason: s.reason } : {}), ports: spec ? containerPorts(spec) : [] });
      break;
    }
  }
  const noneRunning = down.length > 0 && containers.length > 0 && containers.every((c) => down.some((d) => d.container === c.name));
  return { down, noneRunning };
}

/** Is this port one a down container would serve (so nothing listens on it)? */
export function servedByDownContainer(down: readonly ContainerDown[] | undefined, port: number, protocol: 'TCP' | 'UDP'): ContainerDown | undefined {
  return down?.find((d) => d.ports.some((p) => p.port === port && p.protocol === protocol));
}

/** A down container in words: `container web waiting (CrashLoopBackOff)`. */
export function containerDownText(d: ContainerDown): string {
  return `container ${d.container} ${d.state}${d.reason ? ` (${d.reason})` : ''}`;
}

/** status.containerStatuses for the containers that are down (what containersDownOf reads back). */
export function containerStatusesOf(down: readonly ContainerDown[]): Obj[] {
  return down.map((d) => ({ name: d.container, ready: false, state: { [d.state]: d.reason ? { reason: d.reason } : {} } }));
}
