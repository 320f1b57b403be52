// CNI host-local, the way it hands out addresses from one range:
// - the range runs from the network address + 1 to the broadcast address - 1
//   (it never hands out the network or broadcast address);
// - the gateway (network + 1, on cni0) is never handed out;
// - it continues after `last_reserved_ip`, the last address it handed out,
//   and wraps around to the start of the range;
// - an address in use is skipped. A freed address is therefore not reused at
//   once: the next pod gets the one after the last reserved.
import { IPv4, IPv4CidrRange } from 'ip-num';

export interface HostLocalRange {
  range: IPv4CidrRange;
  /** Excluded from allocation: the gateway on cni0 (bridge plugin), or nothing. */
  gateway?: IPv4;
  /** The first address the allocator may hand out (default: network + 1). */
  rangeStart?: IPv4;
}

/** The address host-local would hand out next, or undefined when the range is full. */
export function hostLocalNext(
  r: HostLocalRange,
  lastReserved: IPv4 | undefined,
  isTaken: (ip: IPv4) => boolean,
): IPv4 | undefined {
  const rangeStart = r.rangeStart ?? r.range.getFirst().nextIPNumber();
  const rangeEnd = r.range.getLast().previousIPNumber();
  if (rangeEnd.isLessThan(rangeStart)) return undefined;
  const inRange = lastReserved && lastReserved.isGreaterThanOrEquals(rangeStart) && lastReserved.isLessThanOrEquals(rangeEnd);
  let candidate = inRange ? next(lastReserved, rangeStart, rangeEnd) : rangeStart;
  const first = candidate;
  const gateway = r.gateway?.getValue();
  do {
    if (candidate.getValue() !== gateway && !isTaken(candidate)) return candidate;
    candidate = next(candidate, rangeStart, rangeEnd);
  } while (!candidate.isEquals(first));
  return undefined;
}

function next(ip: IPv4, rangeStart: IPv4, rangeEnd: IPv4): IPv4 {
  return ip.isGreaterThanOrEquals(rangeEnd) ? rangeStart : ip.nextIPNumber();
}
