// A trace's frames as a pcapng file (the format Wireshark writes): one interface per
// device a frame crossed, named `netns/device`, so Wireshark shows where each frame was
// seen; `tcpdump -r` reads it too. Link type Ethernet, microsecond timestamps.
import type { CapturedFrame } from './frames.ts';

const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262144;

class Writer {
  private chunks: number[] = [];
  u8(...v: number[]) {
    this.chunks.push(...v);
  }
  u16(v: number) {
    this.u8(v & 0xff, (v >>> 8) & 0xff);
  }
  u32(v: number) {
    this.u8(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  bytes(b: ArrayLike<number>) {
    for (let i = 0; i < b.length; i++) this.chunks.push(b[i]);
  }
  pad() {
    while (this.chunks.length % 4) this.chunks.push(0);
  }
  get length() {
    return this.chunks.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** One block: type, total length, body (padded to 32 bits), total length again (little-endian, as the section header's byte-order magic says). */
function block(out: Writer, type: number, body: Writer): void {
  const b = body.done();
  const total = 12 + b.length;
  out.u32(type);
  out.u32(total);
  out.bytes(b);
  out.u32(total);
}

function option(w: Writer, code: number, value: Uint8Array): void {
  w.u16(code);
  w.u16(value.length);
  w.bytes(value);
  w.pad();
}

/** `startMs`: the first frame's time (Wireshark shows it); each frame's `micros` count from it. */
export function pcapng(frames: readonly CapturedFrame[], comment = 'podpath trace', startMs = Date.now()): Uint8Array {
  const out = new Writer();
  const text = (s: string) => new TextEncoder().encode(s);
  // Section Header Block: byte-order magic, version 1.0, section length unknown.
  const shb = new Writer();
  shb.u32(0x1a2b3c4d);
  shb.u16(1);
  shb.u16(0);
  shb.u32(0xffffffff);
  shb.u32(0xffffffff);
  option(shb, 1 /* opt_comment */, text(comment));
  option(shb, 4 /* shb_userappl */, text('podpath'));
  shb.u32(0); // opt_endofopt
  block(out, 0x0a0d0d0a, shb);
  // An Interface Description Block per device, in the order frames first cross them.
  const ids = new Map<string, number>();
  for (const f of frames) {
    const key = `${f.netns}/${f.device}`;
    if (ids.has(key)) continue;
    ids.set(key, ids.size);
    const idb = new Writer();
    idb.u16(LINKTYPE_ETHERNET);
    idb.u16(0);
    idb.u32(SNAPLEN);
    option(idb, 2 /* if_name */, text(key));
    idb.u32(0);
    block(out, 0x00000001, idb);
  }
  // An Enhanced Packet Block per frame.
  for (const f of frames) {
    const epb = new Writer();
    epb.u32(ids.get(`${f.netns}/${f.device}`)!);
    // Timestamps in microseconds since the epoch (if_tsresol's default): the high and low 32 bits.
    const us = Math.floor(startMs) * 1000 + f.micros;
    epb.u32(Math.floor(us / 2 ** 32));
    epb.u32(us % 2 ** 32);
    epb.u32(f.bytes.length);
    epb.u32(f.bytes.length);
    epb.bytes(f.bytes);
    epb.pad();
    option(epb, 1 /* opt_comment */, text(`${f.direction} at ${f.netns} ${f.device}`));
    epb.u32(0);
    block(out, 0x00000006, epb);
  }
  return out.done();
}
