// CIDRs as a NetworkPolicy's ipBlock writes them. The API server parses them as
// netutils.ParseCIDRSloppy does, host bits allowed (`10.0.0.1/24` is 10.0.0.0/24),
// so podpath takes the block the mask gives rather than refuse such a file (ipam's
// block() reads it so).
import { addressProblem } from '../ipam/addresses.ts';

/** Why this is not an IPv4 CIDR, or undefined. IPv6 is said to be beyond podpath (IPv4 only). */
export function cidrMaskProblem(text: string): string | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return `"${text}" is not a CIDR (expected ADDRESS/PREFIX, e.g. 10.0.0.0/24)`;
  if (m[1].includes(':')) return `"${text}" is an IPv6 CIDR; podpath models IPv4 only`;
  if (addressProblem(m[1])) return `"${text}" is not a CIDR: ${addressProblem(m[1])}`;
  if (Number(m[2]) > 32) return `"${text}" has a prefix longer than 32`;
  return undefined;
}
