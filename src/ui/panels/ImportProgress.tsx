// Over the canvas while a big file is read and drawn (./importProgress.ts).
import { useStore } from 'zustand';
import { importProgress } from './importProgress.ts';
import styles from './ImportProgress.module.css';

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);

export default function ImportProgress() {
  const importing = useStore(importProgress, (s) => s.importing);
  if (!importing) return null;
  return (
    <div className={styles.veil}>
      <div className={styles.box} role="status">
        <p className={styles.what}>
          Reading {importing.file} ({size(importing.bytes)})…
        </p>
        <p className={styles.how}>Checking every object and laying out the cluster. A big cluster takes a few seconds.</p>
        {/* Indeterminate: the parse runs on the page's thread and cannot report how far it is; the bar moves on the compositor. */}
        <div className={styles.bar} role="progressbar" aria-label={`Reading ${importing.file}`}>
          <span className={styles.runner} />
        </div>
      </div>
    </div>
  );
}
