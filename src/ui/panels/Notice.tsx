// The latest message for the person: a refused edit, a bad file, a hint. Shown
// until dismissed or replaced; the cluster stays as it was.
import { actions, usePlayground } from '../playground.ts';

export default function Notice() {
  const notice = usePlayground((s) => s.notice);
  if (!notice) return null;
  return (
    <div className={`toast is-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span className="toast-text">{notice.text}</span>
      <button type="button" className="icon" aria-label="Dismiss" onClick={() => actions().notify(null)}>
        ×
      </button>
    </div>
  );
}
