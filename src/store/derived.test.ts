// What the page shows about the engine's answers, decided by kind (traced, refused,
// failed), never by a message's wording.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceOf, TRACE_FAILED } from './derived.ts';
import { showOf, SHOW_FAILED } from './shown.ts';
import { DEMO } from './demo.ts';

/** What the old restore let into the store: pods without addresses (never compiled into a netns). */
const unallocatedDemo = { ...DEMO, pods: DEMO.pods.map(({ podIP: _p, ...p }) => p) };

describe('what the page says when the engine fails', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a trace that throws shows words for a person, never the engine\'s own message', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const out = traceOf(unallocatedDemo, { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-1', port: 8080 }, proto: 'tcp' });
    expect(out).toEqual({ kind: 'failed' });
    expect(TRACE_FAILED).toMatch(/^podpath could not trace this: /);
    expect(TRACE_FAILED).not.toMatch(/internal/);
    expect(errors).toHaveBeenCalled();
  });

  it('a request the engine refuses shows the engine\'s reasons; a netns that cannot be printed says so in words', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const refused = traceOf(DEMO, { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'nope', port: 80 }, proto: 'tcp' });
    expect(refused).toEqual({ kind: 'refused', issues: [{ document: 'trace', field: '--to', reason: 'no pod default/nope', code: 'no-such-object' }] });
    // A cluster that is not one (no nodes list) makes the engine throw: words, not its message.
    expect(showOf({ ...DEMO, nodes: undefined as never }, 'node-1')).toEqual({ kind: 'failed' });
    expect(SHOW_FAILED).not.toMatch(/internal/);
    expect(errors).toHaveBeenCalledTimes(1);
  });
});
