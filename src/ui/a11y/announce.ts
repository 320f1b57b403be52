// What the walk says to a screen reader at each step: the hop (its number, where it
// happens, what it did and why, the same sentence the hop list shows) and, at the end
// of the packet's way, the verdict, which the Walkthrough shows at the same moment.
import type { PlaygroundState } from '../../store/store.ts';
import { selectHops, selectNodeNetworkName, selectPredictPending, selectTrace } from '../../store/derived.ts';
import { hopWhere } from '../panels/Walkthrough.tsx';

/** The sentence for the hop on screen, or '' when no packet is walking. */
export function announcementOf(st: PlaygroundState): string {
  const result = selectTrace(st);
  const hops = selectHops(st);
  if (result?.kind !== 'traced' || hops.length === 0) return '';
  const t = result.trace;
  const at = Math.min(st.step, hops.length - 1);
  const hop = hops[at];
  const reply = at >= t.hops.length ? ', reply' : '';
  const said = `Hop ${at + 1} of ${hops.length}${reply}: ${hopWhere(hop, selectNodeNetworkName(st))}, ${hop.action}. ${hop.why}`;
  // The verdict comes where the Walkthrough shows it: at the last hop of the packet's own way.
  if (selectPredictPending(st) || at < t.hops.length - 1) return said;
  return `${sentence(said)} Verdict: ${t.verdict}${t.endpoint ? ` at ${t.endpoint}` : ''}: ${t.reason}`;
}

/** A sentence ends with its full stop (a hop's sentence may have none). */
const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
