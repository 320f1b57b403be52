// A modal dialog, the one every dialog of the page uses (Share, Lessons, the question a
// Service asks when wired to a pod it does not select): over a backdrop, named by its
// heading, it keeps the keyboard inside (Tab and Shift+Tab go round its own controls),
// the page's shortcuts stay out of it, Escape or a click on the backdrop closes it,
// and when it closes the keyboard goes back where it was (the button that opened it).
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import styles from './Dialog.module.css';

/** What Tab may stop on inside a dialog. */
const FOCUSABLE = 'button:not(:disabled), input:not(:disabled):not([type="hidden"]):not([hidden]), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex]:not([tabindex="-1"])';

/** Tab and Shift+Tab go round the box's own controls (in document order), never to the page behind it. */
export function keepFocusInside(e: KeyboardEvent<HTMLElement>, box: HTMLElement | null) {
  const stops = box ? [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)) : [];
  if (!stops.length) {
    e.preventDefault();
    return;
  }
  const [first, last] = [stops[0], stops[stops.length - 1]];
  const at = document.activeElement;
  if (e.shiftKey && (at === first || at === box || !box?.contains(at))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (at === last || !box?.contains(at))) {
    e.preventDefault();
    first.focus();
  }
}

export interface DialogProps {
  /** The id of the heading that names the dialog. */
  labelledBy: string;
  /** Escape, or a click on the backdrop. */
  onClose: () => void;
  /** Where the keyboard goes when it opens (default: the dialog itself, until the caller moves it). */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Where the keyboard goes back to when it closes (default: where it was when the dialog opened). */
  returnFocus?: () => HTMLElement | null | undefined;
  /** The caller's look for the box: its width, padding and type. */
  className?: string;
  children: ReactNode;
}

export default function Dialog({ labelledBy, onClose, initialFocus, returnFocus, className, children }: DialogProps) {
  const box = useRef<HTMLDivElement>(null);
  const back = useRef(returnFocus);
  back.current = returnFocus;
  // Before the children's own effects (one may focus its first control): remember the opener.
  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      const to = back.current?.() ?? opener;
      // Only if the keyboard was still in the dialog (or nowhere): a choice that moved it elsewhere on purpose keeps it there.
      const at = document.activeElement;
      if (to?.isConnected && (!at || at === document.body || box.current?.contains(at) || !at.isConnected)) to.focus();
    };
  }, []);
  useEffect(() => {
    (initialFocus?.current ?? box.current)?.focus();
  }, [initialFocus]);
  return createPortal(
    <div
      className={styles.backdrop}
      onMouseDown={(e) => {
        if (e.target !== e.currentTarget) return;
        // Not the browser's own focus move to the page (it would undo the return of the keyboard to the opener).
        e.preventDefault();
        onClose();
      }}
    >
      <div
        ref={box}
        className={className ? `${styles.dialog} ${className}` : styles.dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        tabIndex={-1}
        onKeyDown={(e) => {
          // The page's shortcuts (a lesson's PageDown, say) are not for the dialog's keys (Keys.tsx also leaves them).
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
          else if (e.key === 'Tab') keepFocusInside(e, box.current);
        }}
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}

/** A dialog's heading row: its title (the heading that names it, `id`) and × to close. */
export function DialogHead({ id, onClose, children }: { id: string; onClose: () => void; children: ReactNode }) {
  return (
    <div className={styles.head}>
      <h2 id={id}>{children}</h2>
      <button type="button" className={styles.close} onClick={onClose} aria-label="Close">
        ×
      </button>
    </div>
  );
}
