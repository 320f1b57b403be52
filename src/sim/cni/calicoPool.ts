// Calico's IPPool, as the Cluster document spells it (`spec.calico`), with Calico's
// own field names and values (projectcalico.org/v3 IPPool: ipipMode, vxlanMode,
// blockSize). Read against Calico v3.31.0 (libcalico-go, felix, confd, manifests).

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
  /** felix masquerades pod traffic leaving the pool (its cali-nat-outgoing chain); off, the network must route the pool. */
  natOutgoing: boolean;
}

/**
 * The default IPPool calico-node creates from manifests/calico.yaml (v3.31.0):
 * CALICO_IPV4POOL_IPIP "Always", CALICO_IPV4POOL_VXLAN "Never", block size 26
 * (CALICO_IPV4POOL_BLOCK_SIZE unset), natOutgoing true. (The tigera-operator's
 * Installation defaults to IPIP too.)
 */
export const DEFAULT_CALICO_POOL: CalicoPool = { ipipMode: 'Always', vxlanMode: 'Never', blockSize: 26, natOutgoing: true };

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
