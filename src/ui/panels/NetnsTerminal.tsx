// What Linux would print inside a network namespace: `ip -br addr`, `ip route`
// and `iptables-save -t nat`, from the engine's `show`, with the route or rule the
// current hop used highlighted.
import { useEffect, useMemo, useRef } from 'react';
import { actions, usePlayground } from '../playground.ts';
import { selectHops, showOf, SHOW_FAILED } from '../../store/derived.ts';
import { formatIssue } from '../../store/engine.ts';
import TerminalResizer, { useTerminalPercent } from './TerminalResizer.tsx';
import buttons from '../buttons.module.css';
import styles from './NetnsTerminal.module.css';

function Block({ cmd, text, matched }: { cmd: string; text: string; matched?: string }) {
  const lines = text.split('\n');
  return (
    <div className={styles.block}>
      <div className={styles.cmd}>$ {cmd}</div>
      {lines.map((l, i) => {
        const hit = !!matched && l.trim() === matched.trim();
        // data-matched: the line the current hop used, which the terminal scrolls to (and the tests read).
        return (
          <div key={i} className={hit ? `${styles.line} ${styles.matched}` : styles.line} data-matched={hit || undefined}>
            {l || '\u00a0'}
          </div>
        );
      })}
    </div>
  );
}

export default function NetnsTerminal() {
  const scenario = usePlayground((s) => s.scenario);
  const sel = usePlayground((s) => s.selection);
  const hops = usePlayground(selectHops);
  const step = usePlayground((s) => s.step);
  const current = hops.length ? { hop: hops[Math.min(step, hops.length - 1)] } : null;
  // The selected pod or node (a pod's netns is `namespace/name`, a node's its name).
  const netns = sel && sel.kind !== 'service' ? sel.key : null;
  const out = useMemo(() => (netns ? showOf(scenario, netns) : null), [scenario, netns]);
  const matched = current && current.hop.netns === netns ? current.hop.matched : undefined;
  const body = useRef<HTMLDivElement>(null);
  const percent = useTerminalPercent();
  // Bring the route or rule the packet just used into view.
  useEffect(() => {
    const el = body.current?.querySelector<HTMLElement>('[data-matched]');
    const box = body.current;
    if (el && box) box.scrollTop = Math.max(0, el.offsetTop - box.clientHeight / 3);
  }, [matched, netns]);
  if (!netns || !out) return null;
  const prefix = `root@${netns.includes('/') ? netns.split('/')[1] : netns}`;
  return (
    <section className={styles.terminal} aria-label={`netns ${netns}`} style={{ height: `${percent}%` }}>
      <TerminalResizer />
      <div className={styles.title}>
        <span className={styles.dot} /> netns <strong>{netns}</strong>
        {current && current.hop.netns !== netns && <span className={styles.note}>· the packet is in {current.hop.netns} now</span>}
        <button type="button" className={`${buttons.icon} ${styles.close}`} aria-label="Close terminal" onClick={() => actions().select(null)}>
          ×
        </button>
      </div>
      <div className={styles.body} data-prompt={prefix} ref={body}>
        {out.kind === 'shown' ? (
          <>
            <Block cmd="ip -br addr" text={out.netns.addr} matched={matched} />
            <Block cmd="ip route" text={out.netns.route} matched={matched} />
            <Block cmd="iptables-save -t nat" text={out.netns.nat} matched={matched} />
          </>
        ) : (
          <div className={styles.line}>{out.kind === 'refused' ? out.issues.map(formatIssue).join('\n') : SHOW_FAILED}</div>
        )}
      </div>
    </section>
  );
}
