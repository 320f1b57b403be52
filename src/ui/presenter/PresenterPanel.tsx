// Presenter mode's panel, under the canvas: the current hop's explanation in large
// type and whole (it wraps, it is never cut), the verdict at the end of the walk, what
// is sent, and the way out. The keys (← → Space, Esc) are Keys.tsx's.
import { useEffect } from 'react';
import { actions, usePlayground } from '../playground.ts';
import { selectHops, selectNodeNetworkName, selectPredictPending, selectTrace } from '../../store/derived.ts';
import { hopWhere, PacketForm } from '../panels/Walkthrough.tsx';
import { PredictForm } from '../predict/Predict.tsx';
import { leavePresenter } from './presenter.ts';
import buttons from '../buttons.module.css';
import a11y from '../a11y/a11y.module.css';
import styles from './PresenterPanel.module.css';

/** The page's root class while presenting: tokens.css scales the bars' and panels' type with it. */
export const PRESENTER_CLASS = 'presenter';
/** --scale while presenting on a 1280×720 projector (tokens.css); a bigger screen scales up with it, to this much. */
const SCALE_720P = 1.3;
const MOST_SCALE = 1.75;

/** The same share of the screen on every projector: 1280×720's scale, grown with the screen. */
export function presenterScale(width: number, height: number): number {
  return Math.min(MOST_SCALE, SCALE_720P * Math.max(1, Math.min(width / 1280, height / 720)));
}

export default function PresenterPanel() {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add(PRESENTER_CLASS);
    const fit = () => root.style.setProperty('--scale', presenterScale(innerWidth, innerHeight).toFixed(3));
    fit();
    addEventListener('resize', fit);
    return () => {
      removeEventListener('resize', fit);
      root.classList.remove(PRESENTER_CLASS);
      root.style.removeProperty('--scale');
      // The panel is gone: the keyboard goes back to the button that presents again.
      requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('[data-present-button]')?.focus());
    };
  }, []);
  const result = usePlayground(selectTrace);
  const hops = usePlayground(selectHops);
  const step = usePlayground((s) => s.step);
  const nodeNetwork = usePlayground(selectNodeNetworkName);
  const pending = usePlayground(selectPredictPending);
  const t = result?.kind === 'traced' ? result.trace : null;
  const at = Math.min(step, hops.length - 1);
  const hop = hops.length ? hops[at] : null;
  const ended = t && at >= t.hops.length - 1;
  return (
    <section className={styles.panel} aria-label="Presenter">
      {/* The top bar (and its "podpath" heading) is hidden while presenting: the page keeps its one level-one heading here. */}
      <h1 className={a11y.visuallyHidden}>podpath, presenter mode</h1>
      {/* Not a live region: the page's one HopAnnouncer says each hop (this box also holds the prediction form). */}
      <div className={styles.now}>
        {pending && t ? (
          <PredictForm trace={t} />
        ) : hop && t ? (
          <>
            <p className={styles.where}>
              <span className={styles.count}>
                hop {at + 1} of {hops.length}
                {at >= t.hops.length ? ' · reply' : ''}
              </span>
              <span data-part="where">{hopWhere(hop, nodeNetwork)}</span>
              <span className={styles.action} data-part="action">
                {hop.action}
              </span>
            </p>
            <p className={styles.why} data-part="why">
              {hop.why}
            </p>
            {ended && (
              <p className={t.verdict === 'delivered' ? `${styles.verdict} ${styles.delivered}` : `${styles.verdict} ${styles.failed}`} role="status">
                <strong>{t.verdict}</strong>
                {t.endpoint ? ` at ${t.endpoint}` : ''}: {t.reason}
              </p>
            )}
          </>
        ) : result && result.kind !== 'traced' ? (
          <p className={styles.why}>This packet cannot be traced here: leave presenter mode (Esc) to see why.</p>
        ) : (
          <p className={styles.why}>
            <button type="button" className={buttons.primary} onClick={() => actions().send()}>
              Send packet
            </button>{' '}
            then → steps it hop by hop.
          </p>
        )}
      </div>
      <div className={styles.side}>
        <PacketForm />
        <div className={styles.keys}>
          <span>
            <kbd>←</kbd> <kbd>→</kbd> step · <kbd>Space</kbd> plays
          </span>
          <button type="button" onClick={leavePresenter} title="Leave presenter mode (Esc)">
            Leave (Esc)
          </button>
        </div>
      </div>
    </section>
  );
}
