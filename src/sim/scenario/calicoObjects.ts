// Calico's own objects in a dump (`kubectl get ippools,blockaffinities -A -o yaml`, or
// calicoctl's): its IPPool says how the cluster's pods get addresses and cross between
// nodes, its BlockAffinity objects which node holds which block. With them podpath can
// model a dump's Calico cluster as it is, rather than as bridge-hostgw.
type Obj = Record<string, unknown>;
import type { CalicoPool } from '../cni/calicoPool.ts';
import { CALICO_ENCAP_MODES, DEFAULT_CALICO_POOL, type CalicoEncapMode } from '../cni/calicoPool.ts';
import { cidrProblem } from '../ipam/addresses.ts';

/** Calico's API groups: the CRDs' (crd.projectcalico.org) and the aggregated API's / calicoctl's (projectcalico.org). */
export const isCalicoObject = (doc: Obj, kind: string) => (kind === 'IPPool' || kind === 'BlockAffinity') && typeof doc.apiVersion === 'string' && /^(crd\.)?projectcalico\.org\//.test(doc.apiVersion);

export interface SeenPool {
  name: string;
  cidr: string;
  pool: CalicoPool;
  /** The pool's natOutgoing (Calico's default pool has it on). */
  natOutgoing: boolean;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const modeOf = (v: unknown): CalicoEncapMode | undefined => (CALICO_ENCAP_MODES.includes(v as CalicoEncapMode) ? (v as CalicoEncapMode) : undefined);

/** The enabled IPv4 pools, in document order (podpath models one: the first). */
export function calicoPools(docs: readonly Obj[]): SeenPool[] {
  const out: SeenPool[] = [];
  for (const d of docs) {
    if (d.kind !== 'IPPool' || !isCalicoObject(d, 'IPPool') || !isObj(d.spec) || !isObj(d.metadata)) continue;
    const s = d.spec;
    if (typeof s.cidr !== 'string' || cidrProblem(s.cidr) !== undefined || s.disabled === true) continue;
    // An IPv4 pool's blockSize is 20-32; Calico's defaults fill what the object leaves out.
    const blockSize = typeof s.blockSize === 'number' && Number.isInteger(s.blockSize) && s.blockSize >= 20 && s.blockSize <= 32 ? s.blockSize : DEFAULT_CALICO_POOL.blockSize;
    out.push({ name: String(d.metadata.name), cidr: s.cidr, pool: { ipipMode: modeOf(s.ipipMode) ?? 'Never', vxlanMode: modeOf(s.vxlanMode) ?? 'Never', blockSize, natOutgoing: s.natOutgoing !== false }, natOutgoing: s.natOutgoing !== false });
  }
  return out;
}

/** The blocks each node holds (confirmed BlockAffinity objects), in address order. */
export function calicoAffinities(docs: readonly Obj[]): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const d of docs) {
    if (d.kind !== 'BlockAffinity' || !isCalicoObject(d, 'BlockAffinity') || !isObj(d.spec)) continue;
    const s = d.spec;
    if (typeof s.node !== 'string' || typeof s.cidr !== 'string' || cidrProblem(s.cidr) !== undefined) continue;
    if (s.state !== undefined && s.state !== 'confirmed') continue;
    const list = byNode.get(s.node) ?? [];
    if (!list.includes(s.cidr)) list.push(s.cidr);
    byNode.set(s.node, list);
  }
  const key = (c: string) => c.split('/')[0].split('.').reduce((n, o) => n * 256 + Number(o), 0);
  for (const list of byNode.values()) list.sort((a, b) => key(a) - key(b));
  return byNode;
}
