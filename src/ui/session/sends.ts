// Every packet sent in this visit, noted as it is sent (in the first view: a send
// before anything else has loaded still counts). What counts them (./sent.ts, the
// netns terminal's rule counters) traces them when it is asked.
import type { Scenario } from '../../sim/model.ts';
import type { TraceRequest } from '../../sim/trace/types.ts';
import { playground } from '../playground.ts';

export interface Send {
  scenario: Scenario;
  request: TraceRequest;
  endpoint: number;
}

/** Oldest first; a long classroom session is capped (the oldest go first). */
export const sends: Send[] = [];
const KEEP = 500;

// A packet is sent by send() (Send packet, a change of the packet's ends, a matrix cell):
// not by showing what another endpoint would have done, nor by re-tracing the packet on
// screen into a changed cluster.
playground.subscribe((st, prev) => {
  if (!st.request || st.sendSerial === prev.sendSerial) return;
  sends.push({ scenario: st.scenario, request: st.request, endpoint: st.endpoint });
  if (sends.length > KEEP) sends.splice(0, sends.length - KEEP);
});
