/**
 * Where two versions of a list differ: past their common start and before their
 * common end, compared by object (an edit replaces the objects it changes). Every
 * item outside [start, endBefore) of `before` is at the same place in `after`,
 * shifted by the difference in length.
 */
export function editedSpan<T>(before: readonly T[], after: readonly T[]): { start: number; endBefore: number; endAfter: number } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { start, endBefore, endAfter };
}
