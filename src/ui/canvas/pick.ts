// Picking a packet's ends on the canvas: by clicking, or with the keyboard (Enter on
// a focused node, pod, Service or the external client).
import { actions } from '../playground.ts';
import type { Selection } from '../../store/store.ts';
import type { TraceDestination, TraceSource } from '../../sim/trace/types.ts';

export type Pickable = NonNullable<Selection> | { kind: 'external'; key: 'external' };

/** The next end of the packet being picked: the source first, then the destination. */
export function pickEnd(sel: Pickable) {
  const st = actions();
  const s = st.scenario;
  if (st.picking === 'from') {
    let from: TraceSource | null = null;
    if (sel.kind === 'pod') {
      const [namespace, name] = sel.key.split('/');
      from = { kind: 'pod', namespace, name };
    } else if (sel.kind === 'node') from = { kind: 'node', name: sel.key };
    else if (sel.kind === 'external') from = { kind: 'external' };
    if (!from) return;
    const to = st.request?.to ?? { kind: 'pod', namespace: 'default', name: s.pods[0]?.name ?? '', port: 80 };
    playgroundSetRequest({ from, to, proto: st.request?.proto ?? 'tcp' }, 'to');
    return;
  }
  if (sel.kind === 'external') return; // the outside client sends; nothing is sent to it
  let to: TraceDestination | null = null;
  if (sel.kind === 'pod') {
    const pod = s.pods.find((p) => `${p.namespace}/${p.name}` === sel.key);
    to = { kind: 'pod', namespace: pod!.namespace, name: pod!.name, port: pod!.ports[0]?.containerPort ?? 80 };
  } else if (sel.kind === 'service') {
    const v = s.services.find((x) => `${x.namespace}/${x.name}` === sel.key);
    to = { kind: 'service', namespace: v!.namespace, name: v!.name, port: v!.ports[0]?.port ?? 80 };
  } else to = { kind: 'node', name: sel.key, port: 30000 };
  const from = st.request?.from ?? { kind: 'pod', namespace: 'default', name: s.pods[0]?.name ?? '' };
  playgroundSetRequest({ from, to, proto: st.request?.proto ?? 'tcp' }, null);
}

function playgroundSetRequest(req: Parameters<ReturnType<typeof actions>['send']>[0], next: 'from' | 'to' | null) {
  const st = actions();
  st.send(req);
  st.setPicking(next);
}
