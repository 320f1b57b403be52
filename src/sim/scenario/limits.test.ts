import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestingDepth } from './limits.ts';

/** The depth by definition: 0 for a scalar, 1 + the deepest child for a map or list. */
function depthByDefinition(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + children.reduce<number>((m, c) => Math.max(m, depthByDefinition(c)), 0);
}

describe('nestingDepth', () => {
  it('is the depth by definition for any JSON value, and stops at the first depth past the limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 14 }), (v, limit) => {
        const depth = depthByDefinition(v);
        expect(nestingDepth(v)).toBe(depth);
        expect(nestingDepth(v, limit)).toBe(depth > limit ? limit + 1 : depth);
      }),
      { seed: 10, numRuns: 2000 },
    );
  });
  it('reads a value nested 100,000 deep (more than a call stack holds) without overflowing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { k: deep };
    expect(nestingDepth(deep)).toBe(257);
  });
});
