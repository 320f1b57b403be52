// The Share dialog: the link to this playground (the whole state, compressed into the
// fragment: nothing is uploaded), a Copy button, and the link's QR code, big enough
// to scan from the back of a room. A modal (a11y/Dialog.tsx): Tab stays inside, Escape
// closes, and the keyboard goes back to the Share button.
import { useEffect, useRef, useState } from 'react';
import Dialog, { DialogHead } from '../a11y/Dialog.tsx';
import { QR_MAX_BYTES, qrOf } from './qr.ts';
import { shareUrl } from './links.ts';
import styles from './ShareDialog.module.css';

type Link = { kind: 'making' } | { kind: 'ready'; url: string } | { kind: 'failed' };
type Copy = 'idle' | 'copied' | 'failed';

export default function ShareDialog({ onClose }: { onClose: () => void }) {
  const [link, setLink] = useState<Link>({ kind: 'making' });
  const [copy, setCopy] = useState<Copy>('idle');
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
  // Copy has the keyboard once the link is made (the dialog itself until then).
  useEffect(() => {
    if (link.kind === 'ready') copyButton.current?.focus();
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

  return (
    <Dialog labelledBy="share-title" onClose={onClose} className={styles.dialog}>
      <DialogHead id="share-title" onClose={onClose}>
        Share this playground
      </DialogHead>
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
    </Dialog>
  );
}
