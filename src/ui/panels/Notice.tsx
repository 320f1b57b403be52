// The latest message for the person: a refused edit, a bad file, a hint. Shown
// until dismissed or replaced; the cluster stays as it was. A message about the
// element open in the Inspector is shown there instead, next to its fields.
import { useEffect, useId, useState } from 'react';
import { actions, usePlayground } from '../playground.ts';
import { elementId } from '../../store/ids.ts';
import type { Notice as NoticeShape } from '../../store/store.ts';
import buttons from '../buttons.module.css';
import styles from './Notice.module.css';

const HINT_MS = 12_000;
const KIND_CLASS: Record<NoticeShape['kind'], string> = { error: styles.error, hint: styles.hint };

export default function Notice() {
  const notice = usePlayground((s) => s.notice);
  const inInspector = usePlayground((s) => !!s.notice && !!s.selection && (s.notice.near === 'inspector' || s.notice.near === elementId(s.selection.kind, s.selection.key)));
  // A hint steps aside by itself after a while (it covers the top of the canvas);
  // errors and commands to copy stay until dismissed.
  // An import's warnings, folded to one line, stay until closed: they say what the picture left out or guessed.
  useEffect(() => {
    if (!notice || notice.kind !== 'hint' || notice.commands || notice.fold) return;
    const t = setTimeout(() => {
      if (actions().notice === notice) actions().notify(null);
    }, HINT_MS);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice || inInspector) return null;
  // Keyed by the notice: a new import's warnings open folded again.
  if (notice.fold) return <FoldedNotice key={notice.text} headline={notice.fold.headline} warnings={notice.fold.warnings} />;
  return (
    <div className={`${styles.toast} ${KIND_CLASS[notice.kind]}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <div>
        <span>{notice.text}</span>
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

/**
 * An import's warnings: one line at the canvas's foot ("Show 3 warnings"), where it
 * covers no node, opened into a list by the button (a real button: Enter and Space).
 */
function FoldedNotice({ headline, warnings }: { headline: string; warnings: string[] }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const count = `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
  return (
    <div className={`${styles.folded} ${styles.hint}`} role="status">
      <div className={styles.foldedLine}>
        <span className={styles.headline}>{headline}</span>
        <button type="button" className={styles.toggle} aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
          {open ? `Hide ${count}` : `Show ${count}`}
        </button>
        <button type="button" className={buttons.icon} aria-label="Dismiss" onClick={() => actions().notify(null)}>
          ×
        </button>
      </div>
      {/* Focusable: a long list scrolls, and the keyboard must reach it. */}
      <ul id={listId} className={styles.warnings} aria-label="Import warnings" hidden={!open} tabIndex={0}>
        {warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </div>
  );
}
