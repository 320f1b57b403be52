// Which of a Service's endpoints the walk follows (the CLI's --endpoint). The kernel
// picks one at random per connection; a walk is one concrete path, so the person
// picks which: e.g. a NodePort reaching a pod on another node, without moving pods.
import type { Trace } from '../../sim/trace/types.ts';
import { objectKey } from '../../sim/model.ts';
import { actions, usePlayground } from '../playground.ts';
import styles from './EndpointChoice.module.css';

export default function EndpointChoice({ trace }: { trace: Trace }) {
  const endpoint = usePlayground((s) => s.endpoint);
  const pods = usePlayground((s) => s.scenario.pods);
  // Who picks (the trace says): kube-proxy's rules, the CNI's socket-LB, or an eBPF program on the walk.
  const picker = `${trace.pickedBy ?? 'kube-proxy'} picks`;
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
