// Upstream's Reachability (test/e2e/network/netpol/reachability.go, truthtable.go),
// replayed: a truth table over the case's pods, every cell at the default (true),
// then each call of the case in order. Written from upstream's semantics, apart from
// podpath's policy evaluator, so the expected matrices do not come from the code
// they check. Printed as upstream's PrettyPrint does: `-` and the servers, then a row
// per client, `.` connected and `X` not, tab-separated.
import type { Op, Peer } from './transcribed.ts';

const matches = (p: Peer, pod: string) => {
  const [ns, name] = pod.split('/');
  return (p.ns === undefined || p.ns === ns) && (p.pod === undefined || p.pod === name);
};

/** The expected table: table[from][to]. */
export function replay(pods: readonly string[], ops: readonly Op[]): Map<string, Map<string, boolean>> {
  const t = new Map(pods.map((from) => [from, new Map(pods.map((to) => [to, true]))]));
  for (const op of ops) {
    switch (op[0]) {
      case 'peer':
        for (const from of pods) if (matches(op[1], from)) for (const to of pods) if (matches(op[2], to)) t.get(from)!.set(to, op[3]);
        break;
      case 'expect':
        t.get(op[1])!.set(op[2], op[3]);
        break;
      case 'allIngress':
        // Expected.SetAllTo(pod): every client to this pod.
        for (const from of pods) t.get(from)!.set(op[1], op[2]);
        break;
      case 'allEgress':
        // Expected.SetAllFrom(pod): this pod to every server.
        for (const to of pods) t.get(op[1])!.set(to, op[2]);
        break;
    }
  }
  return t;
}

export function prettyPrint(pods: readonly string[], t: Map<string, Map<string, boolean>>): string {
  return [['-', ...pods].join('\t'), ...pods.map((from) => [from, ...pods.map((to) => (t.get(from)!.get(to) ? '.' : 'X'))].join('\t'))].join('\n') + '\n';
}
