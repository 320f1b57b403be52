// A share link: the whole playground (cluster, packet, endpoint, hop, lesson step) in
// the URL's fragment, `#s=<base64url of deflate-raw of the share envelope>`. The
// fragment never reaches a server, so a link shares nothing beyond the person it is
// given to. Reading one unpacks it (refusing more than MAX_UNPACKED_BYTES: a few
// bytes of deflate can unpack to gigabytes) and hands the text to the one restore
// function (src/sim/scenario/restore.ts), as for every other way in; every failure
// is a typed ShareLinkProblem, never a throw.
import type { RestoredShare, SharedPlayground } from '../sim/scenario/restore.ts';
import type { ShareLinkProblem } from '../sim/scenario/restoreProblem.ts';
import { loadIo } from './store.ts';

/** The fragment's key: `#s=…`. */
export const SHARE_KEY = 's';
/** The most a link may unpack to. A save of the demo is ~3 KB, of a 20-node × 50-pod cluster ~400 KB. */
export const MAX_UNPACKED_BYTES = 2 * 1024 * 1024;
const FORMAT = 'deflate-raw';

/** The packed text of a share link's fragment, or null when the fragment is not a share link. */
export function shareFragment(hash: string): string | null {
  const m = /^#?s=(.*)$/s.exec(hash);
  return m ? m[1] : null;
}

function toBase64url(bytes: Uint8Array): string {
  let bin = '';
  // In slices: String.fromCharCode takes its bytes as arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  // A length of 4n+1 is no encoding's output: one character cannot hold a whole byte.
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function drain(readable: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | 'too-large'> {
  const reader = readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop unpacking: the rest is never inflated.
      void reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Pack a share envelope's text for the fragment. */
export async function packShareText(text: string): Promise<string> {
  const cs = new CompressionStream(FORMAT);
  const writer = cs.writable.getWriter();
  // Errors surface on the readable side.
  writer.write(new TextEncoder().encode(text)).catch(() => undefined);
  writer.close().catch(() => undefined);
  const packed = await drain(cs.readable, Number.POSITIVE_INFINITY);
  return toBase64url(packed as Uint8Array);
}

export type Unpacked = { ok: true; text: string } | { ok: false; problem: ShareLinkProblem };

/** Unpack a fragment to the envelope's text (not yet read: see readShareFragment). */
export async function unpackShareText(packed: string, limit = MAX_UNPACKED_BYTES): Promise<Unpacked> {
  if (typeof DecompressionStream !== 'function') return { ok: false, problem: { code: 'link-unsupported' } };
  const bytes = fromBase64url(packed);
  if (!bytes || bytes.length === 0) return { ok: false, problem: { code: 'link-not-base64url' } };
  const ds = new DecompressionStream(FORMAT);
  const writer = ds.writable.getWriter();
  // Errors surface on the readable side; these promises only must not go unhandled.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  let unpacked: Uint8Array | 'too-large';
  try {
    unpacked = await drain(ds.readable, limit);
  } catch {
    return { ok: false, problem: { code: 'link-not-deflate' } };
  }
  if (unpacked === 'too-large') return { ok: false, problem: { code: 'link-too-large', limitBytes: limit } };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(unpacked) };
  } catch {
    // Unpacks, but not to text: no envelope podpath wrote.
    return { ok: false, problem: { code: 'not-json' } };
  }
}

/** The fragment for a playground: `s=…` (without the `#`). */
export async function shareFragmentOf(s: SharedPlayground): Promise<string> {
  const m = await loadIo();
  return `${SHARE_KEY}=${await packShareText(m.shareText(s))}`;
}

export type ReadShare = RestoredShare | { ok: false; problem: ShareLinkProblem };

/** Read a link's packed text: unpack, then the one restore function. */
export async function readShareFragment(packed: string): Promise<ReadShare> {
  const unpacked = await unpackShareText(packed);
  if (!unpacked.ok) return unpacked;
  const m = await loadIo();
  return m.restoreShared(unpacked.text);
}
