// The printout: no bars or panels, the cluster's picture with the packet's path, then
// every hop of the walk in full (where, what, why, the headers and TTL after it, the
// rule that matched) and the verdict, one hop never split across pages. Drawn only
// while printing (the browser's print, or print media), not at every change.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { createPortal, flushSync } from 'react-dom';
import { usePlayground } from '../playground.ts';
import { selectHops, selectNodeNetworkName, selectTrace } from '../../store/derived.ts';
import { pictureInputNow } from './download.ts';
import { hopPlace, pictureSvg, requestTitle } from './picture.ts';
import styles from './PrintWalk.module.css';

const printMedia = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('print') : null;

/** Printing: print media (also as a test emulates it), or between the browser's beforeprint and afterprint. */
function usePrinting(): boolean {
  const media = useSyncExternalStore(
    (on) => {
      printMedia?.addEventListener('change', on);
      return () => printMedia?.removeEventListener('change', on);
    },
    () => printMedia?.matches ?? false,
  );
  const [asked, setAsked] = useState(false);
  useEffect(() => {
    // The browser lays the printout out right after beforeprint: render it synchronously.
    const before = () => flushSync(() => setAsked(true));
    const after = () => setAsked(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  return media || asked;
}

function Printout() {
  const result = usePlayground(selectTrace);
  const hops = usePlayground(selectHops);
  const nodeNetwork = usePlayground(selectNodeNetworkName);
  const request = usePlayground((s) => s.request);
  const cluster = usePlayground((s) => s.scenario.cluster);
  // The picture depends on the whole state; it is made once per printout.
  const [picture] = useState(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(pictureSvg(pictureInputNow(), { withHops: false, withTitle: false }))}`);
  const t = result?.kind === 'traced' ? result.trace : null;
  return (
    <article className={styles.print} aria-label="Printout">
      <h1 className={styles.title}>podpath · {request ? requestTitle(request) : 'the cluster'}</h1>
      <p className={styles.sub}>
        CNI {cluster.cni} · kube-proxy {cluster.kubeProxy} · podCIDR {cluster.podCIDR} · service CIDR {cluster.serviceCIDR}
      </p>
      <img className={styles.picture} src={picture} alt="The cluster, with the packet's path" />
      {t && hops.length > 0 && (
        <section className={styles.walk}>
          <h2>The walk, hop by hop ({hops.length} hops)</h2>
          <ol className={styles.hops}>
            {hops.map((h, i) => (
              <li key={i} className={styles.hop} data-leg={i >= t.hops.length ? 'reply' : 'request'}>
                {i === t.hops.length && <div className={styles.leg}>The reply</div>}
                <div className={styles.head}>
                  <span className={styles.n}>{i + 1}</span> {hopPlace(h, nodeNetwork)} — <strong>{h.action}</strong>
                </div>
                <p className={styles.why}>{h.why}</p>
                <p className={styles.packet}>
                  {h.packet.proto.toUpperCase()} {h.packet.src} → {h.packet.dst} · TTL {h.packet.ttl}
                  {h.packet.outer && ` · outer ${h.packet.outer.src} → ${h.packet.outer.dst} UDP ${h.packet.outer.dport} VNI ${h.packet.outer.vni}`}
                </p>
                {h.matched && <pre className={styles.rule}>{h.matched}</pre>}
              </li>
            ))}
          </ol>
        </section>
      )}
      {t && (
        <p className={t.verdict === 'delivered' ? `${styles.verdict} ${styles.delivered}` : styles.verdict}>
          <strong>{t.verdict}</strong>
          {t.endpoint ? ` at ${t.endpoint}` : ''}: {t.reason}
          {t.candidates.length > 1 && <span className={styles.candidates}> kube-proxy could pick any of: {t.candidates.join(', ')}</span>}
        </p>
      )}
      {!t && <p>No packet traced: press Send packet before printing to include the walk.</p>}
    </article>
  );
}

export default function PrintWalk() {
  const printing = usePrinting();
  return printing ? createPortal(<Printout />, document.body) : null;
}
