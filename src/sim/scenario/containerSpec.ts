// Reading a pod template's containers as the kubelet would run them: their command
// line and the addresses their probes connect to. The probes, the host processes and
// the cluster inference all read these; one reading keeps them from disagreeing.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A pod spec's containers (not initContainers: they have exited by the time the pod serves). */
export function containersOf(podSpec: Obj): Obj[] {
  return Array.isArray(podSpec.containers) ? podSpec.containers.filter(isObj) : [];
}

/** A container's command line: its command, then its args (the image's entrypoint, not in a dump, is unknown). */
export function argvOf(c: Obj): string[] {
  return [c.command, c.args].flatMap((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []));
}

/**
 * The value of `--NAME=V` or `--NAME V` on a command line. Given twice, the last one
 * counts, as with the Go flag packages Kubernetes' components parse with.
 */
export function flag(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith(`--${name}=`)) value = argv[i].slice(name.length + 3);
    else if (argv[i] === `--${name}` && i + 1 < argv.length) value = argv[i + 1];
  }
  return value;
}

/** Where one of a container's probes connects: its port (a number or a declared port's name) and host when set. */
export interface ProbeTarget {
  port: unknown;
  /** The probe's `host` (httpGet only); unset or empty: the pod's own address. */
  host?: string;
}

/** The liveness, readiness and startup probes' targets (httpGet, tcpSocket, grpc; exec probes connect nowhere). */
const NO_TARGETS: readonly ProbeTarget[] = Object.freeze([]);

export function probeTargetsOf(c: Obj): readonly ProbeTarget[] {
  // Most containers of a large dump have no probe: no array made for them.
  if (c.livenessProbe === undefined && c.readinessProbe === undefined && c.startupProbe === undefined) return NO_TARGETS;
  const out: ProbeTarget[] = [];
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!isObj(probe)) continue;
    for (const how of [probe.httpGet, probe.tcpSocket, probe.grpc]) {
      if (!isObj(how)) continue;
      out.push({ port: how.port, ...(typeof how.host === 'string' && how.host !== '' ? { host: how.host } : {}) });
    }
  }
  return out;
}
