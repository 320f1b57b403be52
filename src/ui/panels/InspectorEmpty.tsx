// The Inspector while nothing is selected: in the first view, without the editor
// itself (./Inspector.tsx loads once something is selected).
import panel from './panel.module.css';
import styles from './Inspector.module.css';

export default function InspectorEmpty() {
  return (
    <section className={`${panel.panel} ${styles.inspector}`} aria-label="Inspector">
      <h2>Inspector</h2>
      <p className={panel.muted}>Select a node, pod or Service to edit it and see its network namespace.</p>
    </section>
  );
}
