// CIDRs as a NetworkPolicy's ipBlock writes them. The API server parses them as
// netutils.ParseCIDRSloppy does, host bits allowed (`10.0.0.1/24` is 10.0.0.0/24),
// so podpath takes the block the mask gives rather than refuse such a file.
import { addressProblem, ipNumber } from '../ipam/addresses.ts';

export interface CidrRange {
  first: number;
  last: number;
  prefix: number;
}

/** Why this is not an IPv4 CIDR, or undefined. IPv6 is said to be beyond podpath (IPv4 only). */
export function cidrMaskProblem(text: string): string | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return `"${text}" is not a CIDR (expected ADDRESS/PREFIX, e.g. 10.0.0.0/24)`;
  if (m[1].includes(':')) return `"${text}" is an IPv6 CIDR; podpath models IPv4 only`;
  if (addressProblem(m[1])) return `"${text}" is not a CIDR: ${addressProblem(m[1])}`;
  if (Number(m[2]) > 32) return `"${text}" has a prefix longer than 32`;
  return undefined;
}

export function cidrRange(text: string): CidrRange {
  const [addr, len] = text.split('/');
  const prefix = Number(len);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ipNumber(addr) / size) * size;
  return { first, last: first + size - 1, prefix };
}
