// The latest message for the person: a refused edit, a bad file, a hint. Shown
// until dismissed or replaced; the cluster stays as it was. A message about the
// element open in the Inspector is shown there instead, next to its fields.
import { useEffect, useState } from 'react';
import { actions, usePlayground } from '../playground.ts';
import { elementId } from '../../store/ids.ts';
import type { Notice as NoticeShape } from '../../store/store.ts';
import buttons from '../buttons.module.css';
import styles from './Notice.module.css';

const HINT_MS = 12_000;
/** Longer than this many lines (a dump's import warnings), a hint opens folded to its first line. */
const FOLD_LINES = 2;
const KIND_CLASS: Record<NoticeShape['kind'], string> = { error: styles.error, hint: styles.hint };

export default function Notice() {
  const notice = usePlayground((s) => s.notice);
  const inInspector = usePlayground((s) => !!s.notice && !!s.selection && (s.notice.near === 'inspector' || s.notice.near === elementId(s.selection.kind, s.selection.key)));
  const lines = notice ? notice.text.split('\n') : [];
  // Errors are shown whole: they say what to fix. A long hint folds.
  const foldable = notice?.kind === 'hint' && lines.length > FOLD_LINES;
  // Folded, a long notice (what a dump's import inferred and skipped) covers one line of
  // the canvas, not the cluster; the person opens it to read it, and it stays until dismissed.
  const [open, setOpen] = useState<{ notice: NoticeShape; open: boolean } | null>(null);
  const unfolded = !foldable || (open?.notice === notice && open.open);
  // A short hint steps aside by itself after a while (it covers the top of the canvas);
  // errors, commands to copy and long notices stay until dismissed.
  useEffect(() => {
    if (!notice || notice.kind !== 'hint' || notice.commands || foldable) return;
    const t = setTimeout(() => {
      if (actions().notice === notice) actions().notify(null);
    }, HINT_MS);
    return () => clearTimeout(t);
  }, [notice, foldable]);
  if (!notice || inInspector) return null;
  return (
    <div className={`${styles.toast} ${KIND_CLASS[notice.kind]}${unfolded ? '' : ` ${styles.folded}`}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <div className={styles.body}>
        <span className={unfolded ? undefined : styles.firstLine}>{unfolded ? notice.text : lines[0]}</span>
        {foldable && (
          <button type="button" className={styles.more} aria-expanded={unfolded} onClick={() => setOpen({ notice, open: !unfolded })}>
            {unfolded ? 'Show less' : `Show all (${lines.length - 1} more lines)`}
          </button>
        )}
        {notice.commands && (
          // Focusable: a long command scrolls sideways, and the keyboard must reach it.
          <pre className={styles.code} tabIndex={0}>
            <code>{notice.commands.join('\n')}</code>
          </pre>
        )}
      </div>
      <button type="button" className={buttons.icon} aria-label="Dismiss" onClick={() => actions().notify(null)}>
        ×
      </button>
    </div>
  );
}
