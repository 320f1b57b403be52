// A pod made by a Deployment: its Deployment's replicas, scaled the way `kubectl
// scale` does. Its ReplicaSet makes pods named as it names them and the scheduler
// rule places them; scaling down deletes first a pod on the node holding most of
// them, then the newest (see src/sim/lesson/workload.ts).
import { actions, usePlayground } from '../playground.ts';
import styles from './DeploymentScale.module.css';

export default function DeploymentScale({ namespace, name }: { namespace: string; name: string }) {
  const replicas = usePlayground((s) => s.scenario.pods.filter((p) => p.namespace === namespace && p.ownerKind === 'Deployment' && p.ownerName === name).length);
  const scale = (n: number) => actions().scaleDeployment(namespace, name, n);
  return (
    <fieldset className={styles.deployment}>
      <legend>Deployment {name}</legend>
      <div className={styles.row}>
        <span>replicas</span>
        {/* podpath knows a Deployment by its pods only: at 1 it cannot go lower (see scaleDeployment). */}
        <button type="button" aria-label={`Scale ${name} down to ${replicas - 1}`} disabled={replicas <= 1} onClick={() => scale(replicas - 1)}>
          −
        </button>
        <output className={styles.count} aria-label={`${name} replicas`}>
          {replicas}
        </output>
        <button type="button" aria-label={`Scale ${name} up to ${replicas + 1}`} onClick={() => scale(replicas + 1)}>
          +
        </button>
      </div>
    </fieldset>
  );
}
