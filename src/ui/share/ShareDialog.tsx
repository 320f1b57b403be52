// The Share dialog: the link to this playground (the whole state, compressed into the
// fragment: nothing is uploaded), a Copy button, and the link's QR code, big enough
// to scan from the back of a room. A modal: Tab stays inside, Escape closes, and the
// keyboard goes back to the Share button.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { QR_MAX_BYTES, qrOf } from './qr.ts';
import { shareUrl } from './links.ts';
import styles from './ShareDialog.module.css';

/** Tab and Shift+Tab go round the dialog's own controls, never to the page behind it. */
function keepFocusInside(e: KeyboardEvent<HTMLElement>, box: HTMLElement | null) {
  // In document order (not every selector engine returns a selector list in that order).
  const stops = box ? [...box.querySelectorAll<HTMLElement>('button:not(:disabled), input, a[href]')].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)) : [];
  if (!stops.length) return;
  const [first, last] = [stops[0], stops[stops.length - 1]];
  if (e.shiftKey && (document.activeElement === first || document.activeElement === box)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

type Link = { kind: 'making' } | { kind: 'ready'; url: string } | { kind: 'failed' };
type Copy = 'idle' | 'copied' | 'failed';

export default function ShareDialog({ onClose }: { onClose: () => void }) {
  const [link, setLink] = useState<Link>({ kind: 'making' });
  const [copy, setCopy] = useState<Copy>('idle');
  const panel = useRef<HTMLDivElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const copyButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    shareUrl().then(
      (url) => live && setLink({ kind: 'ready', url }),
      () => live && setLink({ kind: 'failed' }),
    );
    return () => void (live = false);
  }, []);
  useEffect(() => {
    (link.kind === 'ready' ? copyButton.current : panel.current)?.focus();
  }, [link.kind]);

  const doCopy = async () => {
    if (link.kind !== 'ready') return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopy('copied');
    } catch {
      // No clipboard (an insecure page, a refusal): the link is selected for Ctrl+C.
      field.current?.select();
      setCopy('failed');
    }
  };
  const qr = link.kind === 'ready' ? qrOf(link.url) : null;

  return createPortal(
    <div className={styles.backdrop} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={panel}
        className={styles.dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby="share-title"
        tabIndex={-1}
        onKeyDown={(e) => {
          // The page's shortcuts (Space plays, arrows step) are not for the dialog's keys.
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
          else if (e.key === 'Tab') keepFocusInside(e, panel.current);
        }}
      >
        <div className={styles.head}>
          <h2 id="share-title">Share this playground</h2>
          <button type="button" className={styles.close} onClick={onClose} aria-label="Close">
            ×
          </button>
        </div>
        <p className={styles.intro}>
          The link holds the cluster, the packet, kube-proxy's endpoint, the hop on screen and the lesson step. It is all in the link itself: nothing is uploaded. Whoever opens it gets this view, and keeps their own saved playground.
        </p>
        {link.kind === 'making' && <p role="status">Making the link…</p>}
        {link.kind === 'failed' && (
          <p className={styles.error} role="alert">
            This browser could not make the link (it has no CompressionStream). Export saves the cluster as a file instead.
          </p>
        )}
        {link.kind === 'ready' && (
          <>
            <div className={styles.linkRow}>
              <label className={styles.label} htmlFor="share-link">
                Link
              </label>
              <input id="share-link" ref={field} className={styles.link} readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
              <button ref={copyButton} type="button" className={styles.copy} onClick={() => void doCopy()}>
                {copy === 'copied' ? 'Copied' : 'Copy'}
              </button>
            </div>
            <p className={copy === 'failed' ? styles.error : styles.status} role="status">
              {copy === 'copied' ? 'Copied: paste it into a chat or an email.' : copy === 'failed' ? 'This browser would not copy it: the link is selected, press Ctrl+C (⌘C on a Mac).' : `${link.url.length.toLocaleString('en')} characters.`}
            </p>
            {qr?.ok ? (
              <figure className={styles.qr}>
                <svg viewBox={`0 0 ${qr.size} ${qr.size}`} role="img" aria-label="QR code of the link" shapeRendering="crispEdges">
                  <rect width={qr.size} height={qr.size} className={styles.qrLight} />
                  <path d={qr.path} className={styles.qrDark} />
                </svg>
                <figcaption>
                  {qr.dense
                    ? 'Scan to open this playground on a phone or laptop. The code is fine-grained (this cluster makes a long link): scan it from near the screen, or send the link itself.'
                    : 'Scan to open this playground on a phone or laptop.'}
                </figcaption>
              </figure>
            ) : (
              qr && (
                <p className={styles.note} role="note">
                  No QR code: this link is {qr.bytes.toLocaleString('en')} characters, more than a QR code holds ({QR_MAX_BYTES.toLocaleString('en')}). Share the link itself.
                </p>
              )
            )}
          </>
        )}
      </div>
    </div>,
    document.body,
  );
}
