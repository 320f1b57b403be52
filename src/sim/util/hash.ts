// Hashes the real tools use for names: SHA-256 + base32 for kube-proxy's
// KUBE-SVC-/KUBE-SEP- chains and SHA-512 for portmap's CNI-DN- chains, from
// @noble/hashes (synchronous, the same in the browser and in Node); FNV-1a for our
// own deterministic MACs and veth names.
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export { sha256, sha512, bytesToHex as hex };

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding), without padding. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

const utf8 = new TextEncoder();
const kubeProxyHashes = new Map<string, string>();

/** kube-proxy's portProtoHash: base32(sha256(servicePortName + protocol))[:16]. */
export function kubeProxyHash(text: string): string {
  let h = kubeProxyHashes.get(text);
  if (h === undefined) {
    h = base32(sha256(utf8.encode(text))).slice(0, 16);
    // Kept: the playground recompiles on every edit and the names come up again.
    if (kubeProxyHashes.size > 500_000) kubeProxyHashes.clear();
    kubeProxyHashes.set(text, h);
  }
  return h;
}

export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A stable, locally administered unicast MAC for a device (02:xx:…). */
export function macFor(seed: string): string {
  const a = fnv1a(seed);
  const b = fnv1a(`${seed}#`);
  // Six bytes printed from a table: a 5,000-node cluster asks for ~20,000 MACs per node netns.
  return `02:${HEX[a >>> 24]}:${HEX[(a >>> 16) & 255]}:${HEX[(a >>> 8) & 255]}:${HEX[a & 255]}:${HEX[b & 255]}`;
}
const HEX = Array.from({ length: 256 }, (_, x) => x.toString(16).padStart(2, '0'));
