// Picking a packet's ends on the canvas: by clicking, or with the keyboard (Enter on
// a focused node, pod, Service or the external client).
import { actions } from '../playground.ts';
import { defaultRequest, naturalPort } from '../../store/store.ts';
import { asDestination, asSource, type PacketEnd } from '../../store/ids.ts';

/** The next end of the packet being picked: the source first, then the destination. */
export function pickEnd(end: PacketEnd) {
  const st = actions();
  const s = st.scenario;
  const current = st.request ?? defaultRequest(s);
  const proto = current?.proto ?? 'tcp';
  if (st.picking === 'from') {
    const from = asSource(end);
    // Until a destination is picked, the packet goes where it went (or, in a cluster without pods, to the end just picked).
    const to = current?.to ?? asDestination(end, naturalPort(s, end) ?? 80);
    if (!from || !to) return;
    st.send({ from, to, proto });
    st.setPicking('to');
    return;
  }
  const to = asDestination(end, naturalPort(s, end) ?? current?.to.port ?? 80);
  const from = current?.from ?? asSource(end);
  if (!to || !from) return;
  st.send({ from, to, proto });
  st.setPicking(null);
}
