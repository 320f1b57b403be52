// A save the page could not read: what was wrong, in words, and the saved text
// offered for download exactly as it was. It stays (across reloads too, see
// src/store/persist.ts) until the person discards it, or closes it after downloading.
import { useState } from 'react';
import { describeRestoreProblem } from '../../sim/scenario/restoreProblem.ts';
import { actions, usePlayground } from '../playground.ts';
import { download } from '../io.ts';
import buttons from '../buttons.module.css';
import styles from './UnreadableSave.module.css';

export const UNREADABLE_FILE = 'podpath-unreadable-save.txt';

export default function UnreadableSave() {
  const first = usePlayground((s) => s.unreadable[0]);
  const count = usePlayground((s) => s.unreadable.length);
  // Which text was downloaded (the next one, if any, starts afresh).
  const [downloaded, setDownloaded] = useState<string | null>(null);
  if (!first) return null;
  const done = downloaded === first.text;
  return (
    <section className={styles.banner} role="alert" aria-labelledby="restore-banner-title">
      <div className={styles.body}>
        <h2 id="restore-banner-title">
          Your saved playground could not be opened{count > 1 ? ` (1 of ${count})` : ''}
        </h2>
        <p>
          {describeRestoreProblem(first.problem)} The demo cluster is open instead.
        </p>
        <p className={styles.note}>
          {done
            ? `Downloaded as ${UNREADABLE_FILE}. Once mended, Import opens it again.`
            : 'The saved text is kept in this browser until you download or discard it.'}
        </p>
      </div>
      <div className={styles.actions}>
        <button
          type="button"
          className={`${buttons.primary} ${styles.download}`}
          onClick={() => {
            download(UNREADABLE_FILE, first.text, 'text/plain');
            setDownloaded(first.text);
          }}
        >
          {done ? 'Download again' : 'Download saved text'}
        </button>
        <button type="button" onClick={() => actions().discardUnreadable()}>
          {done ? 'Close' : 'Discard it'}
        </button>
      </div>
    </section>
  );
}
