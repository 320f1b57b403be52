// Calico's IPPool encapsulation, beside the CNI selector while the cluster runs Calico:
// the choice is the pool's own fields (ipipMode, vxlanMode), and IPIP says it is modelled.
import { actions, usePlayground } from '../playground.ts';
import { cniOf, type CalicoPool as Pool } from '../../sim/cni/index.ts';
import styles from './CalicoPool.module.css';

interface Choice {
  label: string;
  title: string;
  pool: Pick<Pool, 'ipipMode' | 'vxlanMode'>;
}

const CHOICES: Choice[] = [
  { label: 'BGP, no tunnel', title: "ipipMode Never, vxlanMode Never: BIRD learns each node's blocks over BGP (kernel-checked with real BIRD); across racks, via a router that drops", pool: { ipipMode: 'Never', vxlanMode: 'Never' } },
  { label: 'VXLAN', title: 'vxlanMode Always: vxlan.calico, VNI 4096, UDP 4789 (kernel-checked)', pool: { ipipMode: 'Never', vxlanMode: 'Always' } },
  { label: 'VXLAN CrossSubnet', title: 'vxlanMode CrossSubnet: VXLAN only toward a node in another subnet (racks); on one node network, none (kernel-checked)', pool: { ipipMode: 'Never', vxlanMode: 'CrossSubnet' } },
  { label: 'IPIP (modelled)', title: "ipipMode Always, calico.yaml's default: tunl0, modelled from Calico's documentation, not kernel-checked: this machine's kernel has no IPIP, so Run in Linux cannot build it", pool: { ipipMode: 'Always', vxlanMode: 'Never' } },
];

const keyOf = (p: Pick<Pool, 'ipipMode' | 'vxlanMode'>) => `${p.ipipMode}/${p.vxlanMode}`;

export default function CalicoPool() {
  const cluster = usePlayground((s) => s.scenario.cluster);
  const pool = cniOf(cluster).calico;
  if (!pool) return null;
  const current = keyOf(pool);
  const known = CHOICES.some((c) => keyOf(c.pool) === current);
  return (
    <label className={styles.pool} title="Calico's IPPool: how packets cross between nodes">
      Calico
      <select
        aria-label="Calico encapsulation"
        value={current}
        onChange={(e) => {
          const choice = CHOICES.find((c) => keyOf(c.pool) === e.target.value);
          if (choice) actions().setCluster({ calico: { ...cluster.calico, ...choice.pool } });
        }}
      >
        {!known && (
          <option value={current} disabled>
            ipipMode {pool.ipipMode}, vxlanMode {pool.vxlanMode}
          </option>
        )}
        {CHOICES.map((c) => (
          <option key={keyOf(c.pool)} value={keyOf(c.pool)} title={c.title}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
