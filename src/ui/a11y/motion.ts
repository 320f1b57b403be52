// Reduced motion (the system's "reduce motion" setting): the view jumps where it
// would glide. CSS transitions and animations are turned off in reset.css; this is
// for the moves React Flow animates in JavaScript (a pan to the packet, a re-frame).
const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;

/** How long a move of the view lasts: `ms`, or 0 when the person asked for less motion. */
export function motionMs(ms: number): number {
  return query?.matches ? 0 : ms;
}
