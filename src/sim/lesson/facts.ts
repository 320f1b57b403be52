// What a trace shows, as the few facts a class predicts and a lesson claims: who
// answers, the verdict, the source address the receiving socket sees, the places the
// request crosses. Read from the engine's hops only, never worked out anew.
import type { Hop, Trace, Verdict } from '../trace/types.ts';

export interface WalkFacts {
  verdict: Verdict;
  /** The pod that answers (`namespace/name`), or null. */
  answeredBy: string | null;
  /** The source IP the receiving socket sees (where the request is delivered or refused), or null when nothing receives it. */
  sourceSeen: string | null;
  /** Index of the hop where the request is delivered or refused, or -1. */
  received: number;
  /** Indexes of the request's hops that rewrote the destination (DNAT) or the source (SNAT). */
  dnat: number[];
  snat: number[];
}

/** The IP of an `IP:PORT` text. */
export function hostOf(address: string): string {
  const i = address.lastIndexOf(':');
  return i < 0 ? address : address.slice(0, i);
}

export function walkFacts(t: Trace): WalkFacts {
  const received = t.hops.findIndex((h) => h.action === 'deliver' || h.action === 'refuse');
  const indexes = (action: Hop['action']) => t.hops.flatMap((h, i) => (h.action === action ? [i] : []));
  return {
    verdict: t.verdict,
    answeredBy: t.endpoint ?? null,
    sourceSeen: received >= 0 ? hostOf(t.hops[received].packet.src) : null,
    received,
    dnat: indexes('dnat'),
    snat: indexes('snat'),
  };
}

/**
 * Does a hop happen at this place? A place is `NETNS/DEVICE` (`node-1/eth0`,
 * `default/client/eth0`, `node-network/br0`) or a whole netns (`node-1`, `default/client`,
 * `node-network`, `external`).
 */
export function hopAt(h: Hop, place: string): boolean {
  return place === h.netns || place === `${h.netns}/${h.device}`;
}

/** Does the request cross this place? */
export function crosses(t: Trace, place: string): boolean {
  return t.hops.some((h) => hopAt(h, place));
}

/** A hop as a person reads it in a message: number, place, action. */
export function hopLabel(hops: readonly Hop[], i: number): string {
  const h = hops[i];
  const where = h.netns === 'node-network' ? 'the node network' : `${h.netns} · ${h.device}`;
  return `hop ${i + 1} (${where}, ${h.action})`;
}
