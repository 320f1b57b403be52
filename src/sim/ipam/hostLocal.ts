// CNI host-local, the way it hands out addresses from one range:
// - the range runs from the network address + 1 to the broadcast address - 1
//   (it never hands out the network or broadcast address);
// - the gateway (network + 1, on cni0) is never handed out;
// - it continues after `last_reserved_ip`, the last address it handed out,
//   and wraps around to the start of the range;
// - an address in use is skipped. A freed address is therefore not reused at
//   once: the next pod gets the one after the last reserved.
// Addresses are the numbers ip-num read them as (see addresses.ts: Block).
import type { Block } from './addresses.ts';

export interface HostLocalRange {
  range: Block;
  /** Excluded from allocation: the gateway on cni0 (bridge plugin), or nothing. */
  gateway?: number;
  /** The first address the allocator may hand out (default: network + 1). */
  rangeStart?: number;
}

/** The address host-local would hand out next, or undefined when the range is full. */
export function hostLocalNext(r: HostLocalRange, lastReserved: number | undefined, isTaken: (ip: number) => boolean): number | undefined {
  const rangeStart = r.rangeStart ?? r.range.first + 1;
  const rangeEnd = r.range.last - 1;
  if (rangeEnd < rangeStart) return undefined;
  // (No inner closure: this runs once per pod, 150,000 times for a large cluster.)
  const inRange = lastReserved !== undefined && lastReserved >= rangeStart && lastReserved <= rangeEnd;
  let candidate = inRange ? (lastReserved >= rangeEnd ? rangeStart : lastReserved + 1) : rangeStart;
  const first = candidate;
  do {
    if (candidate !== r.gateway && !isTaken(candidate)) return candidate;
    candidate = candidate >= rangeEnd ? rangeStart : candidate + 1;
  } while (candidate !== first);
  return undefined;
}
