// The printout itself (see ./PrintWalk.tsx): the picture builder and the walk in full.
// Loaded at idle after the first render, and on beforeprint, not in the first view.
import { useState } from 'react';
import { usePlayground } from '../playground.ts';
import { selectHops, selectNodeNetworkName, selectTrace } from '../../store/derived.ts';
import { pictureInputNow } from './download.ts';
import { hopPlace, pictureSvg, requestTitle } from './picture.ts';
import styles from './PrintWalk.module.css';

export default function Printout() {
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
