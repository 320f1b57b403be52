// Predict, then reveal: what a person predicted before the packet moved, scored
// against the engine's trace, with what was missed and why in the trace's own words.
// No YAML here: the playground's first view loads this for its Predict control.
import type { Hop, Trace, Verdict } from '../trace/types.ts';
import { VERDICT_WORDS } from '../trace/types.ts';
import { hopLabel, walkFacts } from './facts.ts';
import type { PredictPart } from './types.ts';

/** A place on the path a person can point at: a pod (`namespace/name`), a node's device (`node/cni0`, `node/eth0`, `node/flannel.1`), `node-network`, `external`, or a Service (`service:namespace/name`, never on the path). */
export type Place = string;

/** Devices drawn inside a node that a packet can cross. */
const NODE_DEVICES = new Set(['cni0', 'eth0', 'flannel.1']);

export interface Prediction {
  /** `namespace/name` of the pod that answers, or null: no pod answers. */
  answer?: string | null;
  verdict?: Verdict;
  /** The source IP the receiver sees, or null: nothing receives it. */
  source?: string | null;
  /** The places the request crosses. */
  devices?: Place[];
}

export interface PartScore {
  part: PredictPart;
  right: boolean;
  /** What the person said, in words. */
  said: string;
  /** What the trace shows, in words. */
  truth: string;
  /** Why, from the trace's hops. */
  why: string;
}

/** Where a hop happens, as a person points at it on the canvas (undefined: a place not drawn as a box, such as a veth or lo). */
function placeOf(h: Hop, isPod: (netns: string) => boolean): Place | undefined {
  if (h.netns === 'node-network' || h.netns === 'external') return h.netns;
  if (isPod(h.netns)) return h.netns;
  if (h.node && h.netns === h.node && NODE_DEVICES.has(h.device)) return `${h.node}/${h.device}`;
  return undefined;
}

/** The places the request crosses, in order, each once. */
export function placesCrossed(t: Trace, isPod: (netns: string) => boolean): Place[] {
  const out = new Set<Place>();
  for (const h of t.hops) {
    const p = placeOf(h, isPod);
    if (p) out.add(p);
  }
  return [...out];
}

/** A place in words. */
export function placeText(p: Place): string {
  if (p === 'node-network') return 'the node network';
  if (p === 'external') return 'the external client';
  if (p.startsWith('service:')) return `Service ${p.slice('service:'.length)}`;
  const [a, b] = p.split('/');
  return NODE_DEVICES.has(b) ? `${a}'s ${b}` : `pod ${p}`;
}

const podText = (p: string | null | undefined) => (p ? `pod ${p}` : 'no pod');
const list = (ps: Place[]) => ps.map(placeText).join(', ');

/** Score the parts asked. `isPod` tells a pod's netns from a node's. */
export function scorePrediction(t: Trace, guess: Prediction, parts: readonly PredictPart[], isPod: (netns: string) => boolean): PartScore[] {
  const f = walkFacts(t);
  const hops = t.hops;
  const last = hops.length - 1;
  const at = (i: number) => `${hopLabel(hops, i)}: ${hops[i].why}`;
  return parts.map((part): PartScore => {
    switch (part) {
      case 'answer': {
        const truth = f.answeredBy;
        const chose = t.candidates.length > 1 && f.dnat.length ? ` kube-proxy picks at random among ${t.candidates.length} pods; this walk follows one of them.` : '';
        const why = f.dnat.length ? `${at(f.dnat[0])}.${chose}` : f.received >= 0 ? at(f.received) : at(last);
        return { part, right: (guess.answer ?? null) === truth && guess.answer !== undefined, said: guess.answer === undefined ? 'nothing' : podText(guess.answer), truth: podText(truth), why };
      }
      case 'verdict':
        return { part, right: guess.verdict === f.verdict, said: guess.verdict ? VERDICT_WORDS[guess.verdict] : 'nothing', truth: VERDICT_WORDS[f.verdict], why: t.reason };
      case 'source': {
        const truth = f.sourceSeen;
        const why = f.received < 0 ? `nothing receives the packet: ${t.reason}` : f.snat.length ? f.snat.map(at).join(' ') : `no hop rewrote the source: ${truth} is the sender's own address, as it left (${at(0)})`;
        return { part, right: guess.source !== undefined && (guess.source ?? null) === truth, said: guess.source === undefined ? 'nothing' : (guess.source ?? 'nothing receives it'), truth: truth ?? 'nothing receives it', why };
      }
      case 'devices': {
        const truth = placesCrossed(t, isPod);
        const said = guess.devices ?? [];
        const missed = truth.filter((p) => !said.includes(p));
        const extra = said.filter((p) => !truth.includes(p));
        const whyExtra = extra.map((p) =>
          p.startsWith('service:')
            ? `${placeText(p)} is not a device: its ClusterIP is only an address that kube-proxy's rules rewrite${f.dnat.length ? ` (${hopLabel(hops, f.dnat[0])})` : ''}`
            : `${placeText(p)}: not on this path`,
        );
        const whyMissed = missed.map((p) => {
          const i = hops.findIndex((h) => placeOf(h, isPod) === p);
          return `${placeText(p)}: ${at(i)}`;
        });
        return {
          part,
          right: missed.length === 0 && extra.length === 0,
          said: said.length ? list(said) : 'nothing',
          truth: list(truth),
          why: [...whyMissed.map((w) => `missed ${w}`), ...whyExtra].join('\n') || 'every place the request crosses, and no other',
        };
      }
    }
  });
}
