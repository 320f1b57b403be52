// The top bar's Share group: Share (a link to this playground, with its QR code),
// and the picture for slides as PNG or SVG.
import { lazy, Suspense, useRef, useState } from 'react';
import { actions } from '../playground.ts';
import styles from './ShareButtons.module.css';

// Loaded when first opened: the QR encoder is not needed for the first view.
const ShareDialog = lazy(() => import('./ShareDialog.tsx'));
// The picture builder loads when PNG or SVG is pressed (the printout loads it at idle too).
const loadDownload = () => import('./download.ts');

async function picture(kind: 'png' | 'svg') {
  try {
    const { downloadPng, downloadSvg } = await loadDownload();
    const name = kind === 'png' ? await downloadPng() : downloadSvg();
    actions().notify({ kind: 'hint', near: 'file', text: `Saved ${name}: the cluster, the packet's path and every hop of the walk, for a slide.` });
  } catch {
    actions().notify({ kind: 'error', near: 'file', text: `This browser could not draw the ${kind.toUpperCase()} picture (the cluster may be too big for its canvas): try SVG, which has no size limit.` });
  }
}

export default function ShareButtons() {
  const [open, setOpen] = useState(false);
  const shareButton = useRef<HTMLButtonElement>(null);
  return (
    <div className={styles.group} role="group" aria-label="Share and picture">
      <button ref={shareButton} type="button" className={styles.share} onClick={() => setOpen(true)} aria-haspopup="dialog" title="A link to this playground (cluster, packet, hop, lesson step), with a QR code">
        Share
      </button>
      <button type="button" onClick={() => void picture('png')} title="Download a PNG picture of the cluster and the walk, for slides">
        PNG
      </button>
      <button type="button" onClick={() => void picture('svg')} title="Download an SVG picture of the cluster and the walk, for slides">
        SVG
      </button>
      {open && (
        <Suspense fallback={null}>
          <ShareDialog
            onClose={() => {
              setOpen(false);
              shareButton.current?.focus();
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
