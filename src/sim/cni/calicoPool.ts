// Calico's IPPool, as the Cluster document spells it (`spec.calico`), with Calico's
// own field names and values (projectcalico.org/v3 IPPool: ipipMode, vxlanMode,
// blockSize). Read against Calico v3.31.0 (libcalico-go, felix, confd, manifests).
import type { PodpathIssue } from '../errors.ts';

/** IPPool's encapsulation modes (ipipMode / vxlanMode). */
export type CalicoEncapMode = 'Always' | 'CrossSubnet' | 'Never';
export const CALICO_ENCAP_MODES: readonly CalicoEncapMode[] = ['Always', 'CrossSubnet', 'Never'];

export interface CalicoPool {
  /** IP-in-IP between nodes (tunl0). */
  ipipMode: CalicoEncapMode;
  /** VXLAN between nodes (vxlan.calico). */
  vxlanMode: CalicoEncapMode;
  /** The prefix length of the blocks nodes take from the pool (/26: 64 addresses). */
  blockSize: number;
}

/**
 * The default IPPool calico-node creates from manifests/calico.yaml (v3.31.0):
 * CALICO_IPV4POOL_IPIP "Always", CALICO_IPV4POOL_VXLAN "Never", block size 26
 * (CALICO_IPV4POOL_BLOCK_SIZE unset), natOutgoing true. (The tigera-operator's
 * Installation defaults to IPIP too.)
 */
export const DEFAULT_CALICO_POOL: CalicoPool = { ipipMode: 'Always', vxlanMode: 'Never', blockSize: 26 };

/** The pool a cluster's Cluster document gives, defaults filled in. */
export function calicoPoolOf(c: { calico?: Partial<CalicoPool> }): CalicoPool {
  return { ...DEFAULT_CALICO_POOL, ...(c.calico ?? {}) };
}

/** How a packet crosses to another node (all of podpath's nodes share one subnet, so CrossSubnet does not encapsulate). */
export type CalicoCrossing = 'bgp' | 'vxlan' | 'ipip';

/**
 * Who programs the routes between nodes. BIRD (calico_backend bird) for no
 * encapsulation and IPIP; felix for VXLAN (the vxlan manifest runs no BIRD), which
 * then writes the blackholes too, with its own route protocol 80.
 */
export function calicoCrossing(pool: CalicoPool): CalicoCrossing {
  if (pool.vxlanMode === 'Always') return 'vxlan';
  if (pool.ipipMode === 'Always') return 'ipip';
  return 'bgp';
}

/** felix owns the inter-node routes (VXLAN in any mode but Never); else BIRD does. */
export function felixRoutes(pool: CalicoPool): boolean {
  return pool.vxlanMode !== 'Never';
}

/** A node takes a tunnel address from its first block: vxlan.calico's or tunl0's. */
export function hasTunnelAddress(pool: CalicoPool): boolean {
  return pool.vxlanMode !== 'Never' || pool.ipipMode !== 'Never';
}

/** Why `spec.calico` cannot be read, field by field; [] when it can. */
export function calicoPoolProblems(value: unknown, document: string): { pool?: Partial<CalicoPool>; issues: PodpathIssue[] } {
  const issues: PodpathIssue[] = [];
  const add = (field: string, reason: string) => issues.push({ document, field: `spec.calico${field}`, reason });
  if (value === undefined || value === null) return { issues };
  if (typeof value !== 'object' || Array.isArray(value)) {
    add('', `must be a mapping such as {ipipMode: Never, vxlanMode: Always, blockSize: 26}, got ${JSON.stringify(value)}`);
    return { issues };
  }
  const v = value as Record<string, unknown>;
  const pool: Partial<CalicoPool> = {};
  for (const key of Object.keys(v)) {
    if (key !== 'ipipMode' && key !== 'vxlanMode' && key !== 'blockSize') add(`.${key}`, `is not an IPPool field podpath reads (it reads ipipMode, vxlanMode and blockSize)`);
  }
  for (const key of ['ipipMode', 'vxlanMode'] as const) {
    if (v[key] === undefined) continue;
    if (CALICO_ENCAP_MODES.includes(v[key] as CalicoEncapMode)) pool[key] = v[key] as CalicoEncapMode;
    else add(`.${key}`, `must be one of ${CALICO_ENCAP_MODES.join(', ')} (Calico's IPPool values, capitalised), got ${JSON.stringify(v[key])}`);
  }
  if (v.blockSize !== undefined) {
    const b = v.blockSize;
    // Calico's IPPool validation: an IPv4 blockSize is 20 to 32.
    if (typeof b === 'number' && Number.isInteger(b) && b >= 20 && b <= 32) pool.blockSize = b;
    else add('.blockSize', `must be a whole number from 20 to 32 (Calico's limits for IPv4), got ${JSON.stringify(b)}`);
  }
  const merged = { ...DEFAULT_CALICO_POOL, ...pool };
  if (merged.ipipMode !== 'Never' && merged.vxlanMode !== 'Never') {
    add('', `ipipMode ${merged.ipipMode} and vxlanMode ${merged.vxlanMode}: Calico refuses an IPPool with both IP-in-IP and VXLAN on; set one of them to Never${v.ipipMode === undefined ? ' (ipipMode defaults to Always, as in calico.yaml)' : ''}`);
  }
  return { pool, issues };
}
