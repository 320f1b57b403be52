// The part of the canvas a walk goes through, for framing it (presenting, a big
// cluster's walk). Loaded on demand with the packet's own code: a first view with no
// packet sent frames the whole cluster and needs none of it.
import type { Hop } from '../../../sim/trace/types.ts';
import type { Box } from '../geometry.ts';
import type { Layout } from '../layout.ts';
import { anchorsOf } from './anchors.ts';
import { boundsInPlay } from './inPlay.ts';

export function pathBounds(hops: Hop[], lay: Layout, collapsed: ReadonlySet<string>): Box | null {
  return boundsInPlay(anchorsOf(hops, lay), lay, collapsed);
}
