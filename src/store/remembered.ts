// What a netns prints about the packets sent (`ip neigh`, `bridge fdb`, `conntrack -L`),
// from the engine, for the current trace. Thin glue: the engine decides every line.
import type { Scenario } from '../sim/model.ts';
import type { Learned } from '../sim/trace/types.ts';
// Straight from the engine, not through ./engine.ts: only the netns terminal (loaded on
// demand) reads what was learned, and the first view's JavaScript does without it.
import { conntrackText, fdbListings, neighText, type FdbListing } from '../sim/trace/remembered.ts';
import { dataplaneOf } from './derived.ts';

export interface RememberedNetns {
  neigh: string;
  fdb: FdbListing[];
  conntrack: string;
}

/** Nothing sent yet: only what the control plane wrote (flanneld's permanent entries). */
export const NOTHING_LEARNED: Learned = { neighbours: [], fdb: [], conntrack: [] };

const cache = new WeakMap<Scenario, WeakMap<Learned, Map<string, RememberedNetns>>>();
export function rememberedOf(s: Scenario, netns: string, learned: Learned): RememberedNetns | null {
  const ns = dataplaneOf(s).netns(netns);
  if (!ns) return null;
  let byLearned = cache.get(s);
  if (!byLearned) cache.set(s, (byLearned = new WeakMap()));
  let m = byLearned.get(learned);
  if (!m) byLearned.set(learned, (m = new Map()));
  let r = m.get(netns);
  if (!r) m.set(netns, (r = { neigh: neighText(ns, learned), fdb: fdbListings(ns, learned), conntrack: conntrackText(ns, learned) }));
  return r;
}
