// The cluster's reachability matrix on one port, as the NetworkPolicies decide it
// (policy/matrix.ts, the same cells `podpath matrix` prints): rows are clients, columns
// servers, a cell green where a new connection is allowed and red where a policy
// blocks it. The pod the Inspector shows has its row (whom it may reach) and its
// column (who may reach it) marked. Each cell is a button that traces that packet, so
// the matrix is a way into the walk, not only a table. The diagonal is a pod's
// connection to itself, over lo: no CNI polices it.
import { useMemo } from 'react';
import { cniOf } from '../../sim/cni/index.ts';
import { objectKey, type PodSpec, type Scenario } from '../../sim/model.ts';
import { cellAllowed, matrixPods, policyMatrix } from '../../sim/policy/matrix.ts';
import Dialog, { DialogHead } from '../a11y/Dialog.tsx';
import { actions } from '../playground.ts';
import styles from './PolicyMatrix.module.css';

/** More pods than this and the matrix is the selected pod's namespace only (a 40 × 40 table is the most a screen shows). */
export const MATRIX_MAX_PODS = 40;

export interface PolicyMatrixProps {
  scenario: Scenario;
  /** The pod the Inspector shows: its row and column are marked. */
  pod: PodSpec;
  port: number;
  protocol: 'TCP' | 'UDP';
  onClose: () => void;
}

export default function PolicyMatrix({ scenario, pod, port, protocol, onClose }: PolicyMatrixProps) {
  const all = matrixPods(scenario).length;
  // A big cluster: the pod's own namespace (said above the table), else every pod.
  const namespaces = all > MATRIX_MAX_PODS ? [pod.namespace] : undefined;
  const m = useMemo(() => policyMatrix(scenario, { port, protocol, ...(namespaces ? { namespaces } : {}) }), [scenario, port, protocol, namespaces?.[0]]);
  const shown = m.pods.slice(0, MATRIX_MAX_PODS);
  const mine = objectKey(pod);
  const enforcer = cniOf(scenario.cluster).networkPolicy;
  const traceIt = (from: PodSpec, to: PodSpec) => {
    onClose();
    actions().send({ from: { kind: 'pod', namespace: from.namespace, name: from.name }, to: { kind: 'pod', namespace: to.namespace, name: to.name, port }, proto: protocol === 'UDP' ? 'udp' : 'tcp' });
  };
  const blocked = m.cells.slice(0, MATRIX_MAX_PODS).reduce((n, row) => n + row.slice(0, MATRIX_MAX_PODS).filter((c) => !cellAllowed(c)).length, 0);
  return (
    <Dialog labelledBy="policy-matrix-title" onClose={onClose} className={styles.dialog}>
      <DialogHead id="policy-matrix-title" onClose={onClose}>
          Who may reach whom on {port}/{protocol}
        </DialogHead>
      <p className={styles.intro}>
        Rows are clients, columns servers: <span className={styles.okKey}>✓</span> a new connection is allowed, <span className={styles.badKey}>✗</span> a NetworkPolicy blocks it ({blocked} of{' '}
        {shown.length * (shown.length - 1)}). {mine}&apos;s row and column are marked. Click a cell to trace that packet.
        {enforcer === 'none' ? ` ${scenario.cluster.cni} enforces no NetworkPolicy: what is blocked here is delivered all the same.` : ''}
      </p>
      {namespaces && (
        <p className={styles.intro}>
          The cluster has {all} pods with an address: this is namespace {pod.namespace} only ({m.pods.length} pods{m.pods.length > MATRIX_MAX_PODS ? `, the first ${MATRIX_MAX_PODS} shown` : ''}). <code>podpath matrix</code> prints any namespace.
        </p>
      )}
      {!namespaces && m.pods.length > MATRIX_MAX_PODS && <p className={styles.intro}>The first {MATRIX_MAX_PODS} pods of {m.pods.length} are shown.</p>}
      <div className={styles.scroll}>
        <table className={styles.matrix} aria-label={`Reachability matrix on ${port}/${protocol}`}>
          <thead>
            <tr>
              <th scope="col" className={styles.corner}>
                from ↓ to →
              </th>
              {shown.map((server) => (
                <th key={objectKey(server)} scope="col" className={objectKey(server) === mine ? styles.mineHead : undefined}>
                  <span className={styles.vertical}>{objectKey(server)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((client, i) => (
              <tr key={objectKey(client)} className={objectKey(client) === mine ? styles.mineRow : undefined}>
                <th scope="row" className={objectKey(client) === mine ? styles.mineHead : undefined}>
                  {objectKey(client)}
                </th>
                {shown.map((server, j) => {
                  const c = m.cells[i][j];
                  const cls = objectKey(server) === mine ? styles.mineCol : undefined;
                  if (c === 'loopback')
                    return (
                      <td key={objectKey(server)} className={cls} title="A pod to itself: over lo, never policed">
                        <span className={styles.loopback}>·</span>
                      </td>
                    );
                  const ok = c.allowed;
                  return (
                    <td key={objectKey(server)} className={cls}>
                      <button
                        type="button"
                        className={ok ? styles.allowed : styles.denied}
                        aria-label={`${objectKey(client)} to ${objectKey(server)} port ${port}/${protocol}: ${ok ? 'allowed' : 'blocked'}; trace it`}
                        title={`${objectKey(client)} → ${objectKey(server)}: ${ok ? 'allowed' : 'blocked'}`}
                        onClick={() => traceIt(client, server)}
                      >
                        {ok ? '✓' : '✗'}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}
