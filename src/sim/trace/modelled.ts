// A path through a device this machine's kernel cannot build (Calico's tunl0: no IPIP)
// is modelled from the CNI's documentation and code, not kernel-checked: every hop of
// such a path, and the verdict, say so, so no one takes it for a checked one.
import type { Dataplane } from '../dataplane/compile.ts';
import { IPIP_MODELLED } from '../cni/calico.ts';
import type { Hop, Trace } from './types.ts';

const crossesIpip = (dp: Dataplane, hops: Hop[]) => hops.some((h) => dp.netns(h.netns)?.devices.find((d) => d.name === h.device)?.kind === 'ipip');

/** Mark a trace that crosses an IPIP tunnel as modelled, hop by hop. */
export function markModelled(dp: Dataplane, t: Trace): void {
  const there = crossesIpip(dp, t.hops);
  const back = crossesIpip(dp, t.reply);
  if (!there && !back) return;
  const note = ` [IPIP path: ${IPIP_MODELLED}]`;
  for (const h of [...(there ? t.hops : []), ...(back ? t.reply : [])]) if (!h.why.includes(IPIP_MODELLED)) h.why += note;
  t.modelled = 'ipip-not-in-kernel';
  t.reason += note;
}
