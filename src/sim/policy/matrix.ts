// The reachability matrix in the format Kubernetes' NetworkPolicy e2e tests print
// (test/e2e/network/netpol/truthtable.go PrettyPrint): a tab-separated header row,
// `-` then each server as `ns/pod`, then one row per client, `.` where the
// connection is allowed and `X` where a NetworkPolicy blocks it. Rows are clients
// (from), columns servers (to): a reader can diff podpath's against upstream's.
// A cell is a new connection from the client to the server's pod address. A pod's
// connection to its own address never leaves its netns (the kernel delivers it over
// lo), so no CNI polices it: the diagonal is always `.`, where upstream ignores it
// ("loopback … not yet defined", reachability.go).
import { objectKey, type PodSpec, type Scenario } from '../model.ts';
import { decide, type PolicyDecision } from './evaluate.ts';

/** Is a cell allowed (the diagonal, loopback, always is). */
export const cellAllowed = (c: PolicyDecision | 'loopback') => c === 'loopback' || c.allowed;
import type { PolicyProtocol } from './types.ts';

export interface MatrixRequest {
  port: number;
  protocol: PolicyProtocol;
  /** Only pods of these namespaces (every namespace when absent). */
  namespaces?: readonly string[];
}

export interface PolicyMatrix {
  pods: PodSpec[];
  /** cells[client][server]: what the policies decide of a new connection from client to server's pod IP on the port; `loopback` on the diagonal. */
  cells: (PolicyDecision | 'loopback')[][];
}

/** The pods that hold an address (a pod without one cannot be reached, nor send), as `ns/pod` sorted. */
export function matrixPods(s: Scenario, namespaces?: readonly string[]): PodSpec[] {
  return s.pods
    .filter((p) => p.podIP && (!namespaces || namespaces.includes(p.namespace)))
    .sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : objectKey(a) > objectKey(b) ? 1 : 0));
}

export function policyMatrix(s: Scenario, req: MatrixRequest): PolicyMatrix {
  const pods = matrixPods(s, req.namespaces);
  const cells = pods.map((client) => pods.map((server) => client === server ? ('loopback' as const) : decide(s, { src: { pod: client, ip: client.podIP! }, dst: { pod: server, ip: server.podIP! }, protocol: req.protocol, port: req.port })));
  return { pods, cells };
}

/** Upstream's printout: `-` and the servers, then a row per client. */
export function matrixText(m: PolicyMatrix): string {
  const names = m.pods.map(objectKey);
  const rows = [['-', ...names].join('\t'), ...m.cells.map((row, i) => [names[i], ...row.map((c) => (c === 'loopback' || c.allowed ? '.' : 'X'))].join('\t'))];
  return rows.join('\n') + '\n';
}
