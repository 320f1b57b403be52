// Which of a Service's endpoints the walk follows (the CLI's --endpoint). The kernel
// picks one at random per connection; a walk is one concrete path, so the person
// picks which: e.g. a NodePort reaching a pod on another node, without moving pods.
import type { Trace } from '../../sim/trace/types.ts';
import { objectKey } from '../../sim/model.ts';
import { cniOf } from '../../sim/cni/index.ts';
import { actions, usePlayground } from '../playground.ts';
import styles from './EndpointChoice.module.css';

export default function EndpointChoice({ trace }: { trace: Trace }) {
  const endpoint = usePlayground((s) => s.endpoint);
  const pods = usePlayground((s) => s.scenario.pods);
  // Who picks: an eBPF program on the walk (Cilium's per-packet load balancing, or its NodePort),
  // the CNI's socket-LB where it replaces kube-proxy, or kube-proxy's rules.
  const socketLb = usePlayground((s) => cniOf(s.scenario.cluster).ebpf?.socketLb !== undefined);
  const byProgram = trace.hops.find((h) => h.ebpf?.decision === 'service-dnat' || h.ebpf?.decision === 'nodeport-dnat' || h.ebpf?.decision === 'nodeport-snat')?.ebpf;
  const picker = byProgram ? `${byProgram.program} picks` : socketLb ? 'socket-LB picks' : 'kube-proxy picks';
  if (trace.candidates.length < 2) return null;
  const chosen = Math.min(endpoint, trace.candidates.length - 1);
  const ipOf = (key: string) => pods.find((p) => objectKey(p) === key)?.podIP ?? '';
  return (
    <div className={styles.choice}>
      <label className={styles.field}>
        <span>{picker}</span>
        <select value={chosen} onChange={(e) => actions().setEndpoint(Number(e.target.value))}>
          {trace.candidates.map((key, i) => (
            <option key={key} value={i}>
              {key.slice(key.indexOf('/') + 1)} {ipOf(key)}
            </option>
          ))}
        </select>
      </label>
      <p className={styles.note}>
        one of {trace.candidates.length} endpoints, at random per connection in a real cluster: this walk follows the one chosen here
      </p>
    </div>
  );
}
