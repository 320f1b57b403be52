// Whether every object a trace request names is in the cluster: the question
// missingEnds (./ends.ts) answers with its `no-such-object` issues, asked by name
// alone. The playground asks it on every edit and restore, before any walk, so it loads
// with the first view while the resolver and its sentences load with the walk; a test
// holds the two to the same answer.
import type { Scenario } from '../model.ts';
import type { TraceRequest } from './types.ts';

export function endsExist(s: Scenario, req: TraceRequest): boolean {
  const f = req.from;
  const t = req.to;
  const pod = (namespace: string, name: string) => s.pods.some((p) => p.namespace === namespace && p.name === name);
  const node = (name: string) => s.nodes.some((n) => n.name === name);
  if (f.kind === 'pod' && !pod(f.namespace, f.name)) return false;
  if (f.kind === 'deployment' && !s.pods.some((p) => p.namespace === f.namespace && p.ownerKind === 'Deployment' && p.ownerName === f.name && p.podIP)) return false;
  if (f.kind === 'node' && !node(f.name)) return false;
  if (t.kind === 'pod' && !pod(t.namespace, t.name)) return false;
  // default/kubernetes, absent, is refused for another reason (the API server is not modelled), not as missing.
  if (t.kind === 'service' && !s.services.some((v) => v.namespace === t.namespace && v.name === t.name) && !(t.namespace === 'default' && t.name === 'kubernetes')) return false;
  if (t.kind === 'node' && !node(t.name)) return false;
  return true;
}
