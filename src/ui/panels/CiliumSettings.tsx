// Cilium's Services setting, beside the CNI selector while the cluster runs Cilium: its
// Helm value kubeProxyReplacement, said as what it changes (socket-LB or kube-proxy).
import { actions, usePlayground } from '../playground.ts';
import { cniOf } from '../../sim/cni/index.ts';
import styles from './CalicoPool.module.css';

export default function CiliumSettings() {
  const cluster = usePlayground((s) => s.scenario.cluster);
  const config = cniOf(cluster).cilium;
  if (!config) return null;
  return (
    <>
    <label className={styles.pool} title="Cilium's Helm value routingMode: how pod traffic crosses between nodes">
      Cilium
      <select
        aria-label="Cilium routingMode"
        value={config.routingMode}
        onChange={(e) => actions().setCluster({ cilium: { ...cluster.cilium, ...(e.target.value === 'native' ? { routingMode: 'native', autoDirectNodeRoutes: true } : { routingMode: 'tunnel' }) } })}
      >
        <option value="tunnel" title="routingMode: tunnel (Helm's default) — cilium_vxlan carries pod traffic between nodes; the tunnel key set by the program">
          tunnel
        </option>
        <option value="native" title="routingMode: native with autoDirectNodeRoutes — the nodes route each other's podCIDRs unencapsulated; the receiving node's stack forwards to cilium_host, where cil_from_host delivers">
          native
        </option>
      </select>
    </label>
    <label className={styles.pool} title="Cilium's Helm value kubeProxyReplacement: who does the Services' work">
      <select
        aria-label="Cilium kubeProxyReplacement"
        value={config.kubeProxyReplacement ? 'true' : 'false'}
        onChange={(e) => actions().setCluster({ cilium: { ...cluster.cilium, kubeProxyReplacement: e.target.value === 'true' } })}
      >
        <option value="true" title="kubeProxyReplacement: true — socket-LB rewrites a ClusterIP (or a node's NodePort) at connect(), the NodePort from outside is Cilium's program's, no kube-proxy rules (podpath's own programs check it in the kernel)">
          socket-LB
        </option>
        <option value="false" title="kubeProxyReplacement: false (Helm's default) — each pod's program DNATs its packets to a ClusterIP itself, per packet; kube-proxy does the rest (kernel-checked)">
          kube-proxy
        </option>
      </select>
    </label>
    </>
  );
}
