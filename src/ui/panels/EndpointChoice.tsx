// Which of kube-proxy's endpoints the walk follows (the CLI's --endpoint). The kernel
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
  // Who picks: kube-proxy's rules, or the CNI's socket-LB where it replaces kube-proxy (Cilium).
  const picker = usePlayground((s) => (cniOf(s.scenario.cluster).ebpf?.socketLb ? 'socket-LB picks' : 'kube-proxy picks'));
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
