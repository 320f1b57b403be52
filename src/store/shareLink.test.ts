// A share link packed and unpacked (Node 20 has the browser's CompressionStream):
// what goes in comes out through the one restore function, and a damaged, truncated,
// foreign or oversized link is a typed problem, never a throw.
import { beforeAll, describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { restoreShared, shareText, type SharedPlayground } from '../sim/scenario/restore.ts';
import { describeShareLinkProblem } from '../sim/scenario/restoreProblem.ts';
import { createPlayground, loadIo } from './store.ts';
import { MAX_UNPACKED_BYTES, packShareText, readShareFragment, shareFragment, shareFragmentOf, unpackShareText } from './shareLink.ts';
import { sharedOf } from './share.ts';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function demoShared(): SharedPlayground {
  const pg = createPlayground();
  pg.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, 1);
  pg.getState().setPosition('node:node-2', { x: 700, y: 40 });
  pg.getState().setShowReply(true);
  pg.getState().setStep(5);
  return sharedOf(pg.getState(), null);
}

describe('share links', () => {
  beforeAll(() => loadIo());

  it('round-trips the cluster, positions, packet, endpoint, hop and lesson step through the fragment', async () => {
    const s = { ...demoShared(), lesson: { name: 'services', step: 2 } };
    const fragment = await shareFragmentOf(s);
    expect(fragment).toMatch(/^s=[A-Za-z0-9_-]+$/);
    // Compressed: shorter than the envelope it holds.
    expect(fragment.length).toBeLessThan(shareText(s).length);
    const r = await readShareFragment(shareFragment(`#${fragment}`)!);
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.value.scenario.pods.map((p) => [p.name, p.nodeName, p.podIP])).toEqual(s.scenario.pods.map((p) => [p.name, p.nodeName, p.podIP]));
    expect(r.value.scenario.services).toEqual(s.scenario.services);
    expect(r.value).toMatchObject({ positions: { 'node:node-2': { x: 700, y: 40 } }, request: s.request, showReply: true, endpoint: 1, step: 5, lesson: { name: 'services', step: 2 } });
    expect(r.changes).toEqual([]);
  });

  it('reads only #s= fragments', () => {
    expect(shareFragment('#s=abc')).toBe('abc');
    expect(shareFragment('s=abc')).toBe('abc');
    expect(shareFragment('#section')).toBeNull();
    expect(shareFragment('')).toBeNull();
  });

  it('a tampered, truncated or foreign link is a typed problem with words for it', async () => {
    const good = (await shareFragmentOf(demoShared())).slice(2);
    // A length of 4n+1 is no encoding's output.
    const oneOver = good.length % 4 === 0 ? `${good}A` : `${good.slice(0, good.length - (good.length % 4))}A`;
    expect(await unpackShareText(oneOver)).toEqual({ ok: false, problem: { code: 'link-not-base64url' } });
    expect(await unpackShareText('')).toEqual({ ok: false, problem: { code: 'link-not-base64url' } });
    // One byte in the middle changed (raw deflate has no checksum: what it unpacks to is then read, and refused).
    const bytes = Buffer.from(good, 'base64url');
    bytes[bytes.length >> 1] ^= 0x5a;
    const flipped = await readShareFragment(b64url(bytes));
    expect(flipped.ok).toBe(false);
    expect(await unpackShareText('%%%')).toEqual({ ok: false, problem: { code: 'link-not-base64url' } });
    // Cut short when copied: the compressed data ends mid-stream.
    const truncated = await readShareFragment(good.slice(0, (good.length >> 1) & ~3));
    expect(truncated.ok).toBe(false);
    if (!truncated.ok) expect(['link-not-deflate', 'not-json']).toContain(truncated.problem.code);
    // Garbage that is valid base64url but no deflate stream.
    const garbage = await readShareFragment(b64url(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37])));
    expect(garbage).toEqual({ ok: false, problem: { code: 'link-not-deflate' } });
  });

  it('a link whose bytes were changed is refused by the restore function, with the parser\'s reason', async () => {
    const s = demoShared();
    // A pod address outside its node's podCIDR: deflates fine, the scenario parser refuses it.
    const text = shareText(s).replace('"podIP":"10.244.0.3"', '"podIP":"10.9.9.9"');
    expect(text).toContain('10.9.9.9');
    const r = await readShareFragment(await packShareText(text));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.code).toBe('cluster-refused');
      expect(describeShareLinkProblem(r.problem)).toMatch(/^This share link does not hold a playground podpath can open\. Its cluster does not read as a scenario: .*10\.9\.9\.9/);
    }
    // Deflated JSON that is no save at all.
    const foreign = await readShareFragment(await packShareText('{"hello":"world"}'));
    expect(foreign).toEqual({ ok: false, problem: { code: 'not-a-save' } });
    const notJson = await readShareFragment(await packShareText('hello'));
    expect(notJson).toEqual({ ok: false, problem: { code: 'not-json' } });
  });

  it('refuses a zip bomb: unpacking stops at the limit', async () => {
    // 3 MB of spaces deflate to a few KB.
    const bomb = deflateRawSync(Buffer.alloc(MAX_UNPACKED_BYTES + 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(10_000);
    const r = await unpackShareText(b64url(bomb));
    expect(r).toEqual({ ok: false, problem: { code: 'link-too-large', limitBytes: MAX_UNPACKED_BYTES } });
    expect(describeShareLinkProblem({ code: 'link-too-large', limitBytes: MAX_UNPACKED_BYTES })).toContain('more than 2 MB');
    // Under the limit reads (a smaller limit, same data).
    expect((await unpackShareText(b64url(deflateRawSync(Buffer.from('{"a":1}'))), 100)).ok).toBe(true);
  });

  it('a malformed walk or lesson in an otherwise good link is let go of with a word', () => {
    const s = demoShared();
    const text = shareText(s).replace(/"share":\{.*\}\}$/, '"share":{"endpoint":-1,"step":"x","lesson":{"name":""}}}');
    const r = restoreShared(text);
    if (!r.ok) throw new Error('refused');
    expect(r.value).toMatchObject({ endpoint: 0, step: 0, lesson: null });
    expect(r.changes).toHaveLength(3);
  });
});
