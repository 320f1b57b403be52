// The packet's From and To in a big cluster: searched by name or address (FindBox),
// not picked from a list of 15,000 options. Each shows the end chosen now.
import type { Scenario } from '../../sim/model.ts';
import type { TraceRequest } from '../../sim/trace/types.ts';
import { endId, type PacketEnd } from '../../store/ids.ts';
import FindBox from './FindBox.tsx';
import { describeEntry, findIndex, type FindIndex, type FindKind } from './findIndex.ts';
import styles from './EndPickers.module.css';

const FROM: readonly FindKind[] = ['pod', 'node', 'external'];
const TO: readonly FindKind[] = ['pod', 'service', 'node'];

/** How the current end reads in its box: its name and address; an address or a Deployment (read from a save) as itself. */
function shown(index: FindIndex, end: PacketEnd): string {
  if (end.kind === 'ip') return end.ip;
  if (end.kind === 'deployment') return `deployment/${end.name}`;
  const e = index.byId.get(endId(end));
  if (!e) return '';
  // Its name and address: the box is narrow, the list below it says the rest (a pod's node).
  const { title } = describeEntry(e);
  return e.ip ? `${title} (${e.ip})` : title;
}

export default function EndPickers({ scenario, req, setFrom, setTo }: { scenario: Scenario; req: TraceRequest; setFrom: (id: string) => void; setTo: (id: string) => void }) {
  const index = findIndex(scenario);
  return (
    <>
      <div className={styles.end}>
        <span className={styles.label} aria-hidden="true">
          From
        </span>
        <FindBox label="From" placeholder="A pod or node: name or IP" index={index} kinds={FROM} value={shown(index, req.from)} onChoose={(e) => setFrom(e.id)} />
      </div>
      <div className={styles.end}>
        <span className={styles.label} aria-hidden="true">
          To
        </span>
        <FindBox label="To" placeholder="A pod, Service or node: name or IP" index={index} kinds={TO} value={shown(index, req.to)} onChoose={(e) => setTo(e.id)} />
      </div>
    </>
  );
}
