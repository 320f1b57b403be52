// The QR code of a share link, as SVG path data (one square per dark module), or
// the reason there is none: a QR code holds at most 2,953 bytes (version 40, low
// error correction), and a link to a big cluster is longer than that.
import { encode } from 'uqr';

/** What version 40 holds in byte mode at error correction level L. */
export const QR_MAX_BYTES = 2953;

/**
 * Above this many modules a side (version 16, about 600 characters of link) a code
 * projected on a wall is too fine to scan from the back of a room: the dialog says so.
 */
export const ROOM_MODULES = 81 + 4;

export type QrCode = { ok: true; size: number; path: string; dense: boolean } | { ok: false; code: 'too-long'; bytes: number };

export function qrOf(text: string): QrCode {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > QR_MAX_BYTES) return { ok: false, code: 'too-long', bytes };
  let data: boolean[][];
  try {
    // L: the most room for the link; a projected code is not scuffed like a printed one.
    data = encode(text, { ecc: 'L', border: 2 }).data;
  } catch {
    // The library refuses what does not fit: the same answer, whatever its message.
    return { ok: false, code: 'too-long', bytes };
  }
  let path = '';
  data.forEach((row, y) => row.forEach((dark, x) => dark && (path += `M${x} ${y}h1v1h-1z`)));
  return { ok: true, size: data.length, path, dense: data.length > ROOM_MODULES };
}
