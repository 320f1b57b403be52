// The latest message for the person: a refused edit, a bad file, a hint. Shown
// until dismissed or replaced; the cluster stays as it was. A message about the
// element open in the Inspector is shown there instead, next to its fields.
import { useEffect } from 'react';
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
  useEffect(() => {
    if (!notice || notice.kind !== 'hint' || notice.commands) return;
    const t = setTimeout(() => {
      if (actions().notice === notice) actions().notify(null);
    }, HINT_MS);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice || inInspector) return null;
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
