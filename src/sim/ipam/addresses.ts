// Addresses and CIDR blocks: ip-num validates and parses every one; the arithmetic
// on them (containment, overlap, the next free address, stepping through blocks) is
// done on the numbers ip-num read, for speed (see Block below).
import { IPv4, IPv4CidrRange, Validator } from 'ip-num';

// Validation is pure and the playground re-checks the same strings on every edit,
// so each answer is kept (undefined = valid).
const addressProblems = new Map<string, string | undefined>();
const cidrProblems = new Map<string, string | undefined>();

/** Why this string is not an IPv4 address, or undefined when it is one. */
export function addressProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return `expected an IPv4 address such as 10.244.1.2, got ${JSON.stringify(text)}`;
  if (addressProblems.has(text)) return addressProblems.get(text);
  const [valid] = Validator.isValidIPv4String(text);
  const problem = valid ? undefined : `"${text}" is not an IPv4 address (expected four numbers 0-255, e.g. 10.244.1.2)`;
  addressProblems.set(text, problem);
  return problem;
}

/**
 * Why this string is not a CIDR block, or undefined when it is one. ip-num's
 * fromCidr accepts `10.0.0.1/24`; a block must start at its network address.
 */
export function cidrProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return `expected a CIDR block such as 10.244.0.0/16, got ${JSON.stringify(text)}`;
  if (!cidrProblems.has(text)) cidrProblems.set(text, checkCidr(text));
  return cidrProblems.get(text);
}

function checkCidr(text: string): string | undefined {
  const [notation] = Validator.isValidIPv4CidrNotation(text);
  if (!notation) return `"${text}" is not a CIDR block (expected ADDRESS/PREFIX, e.g. 10.244.0.0/16)`;
  const [aligned] = Validator.isValidIPv4CidrRange(text);
  if (!aligned) {
    const network = IPv4CidrRange.fromCidr(text).getFirst().toString();
    return `"${text}" is not a network address: the block is ${network}/${text.split('/')[1]}`;
  }
  return undefined;
}

export function cidr(text: string): IPv4CidrRange {
  return IPv4CidrRange.fromCidr(text);
}

export function prefixLength(range: IPv4CidrRange): number {
  return Number(range.getPrefix().getValue());
}

/** The n-th address of a block (0 = network address). */
export function nthAddress(range: IPv4CidrRange, n: number): IPv4 {
  return IPv4.fromNumber(range.getFirst().getValue() + BigInt(n));
}

// Hot paths (allocating 150,000 pods, matching 50,000 rules, longest-prefix route
// lookups) cannot afford an ip-num object per step: ip-num's contains() and
// getFirst()/getLast() cost ~30 µs each. So each block and address is read by
// ip-num once, kept as plain numbers, and compared and stepped as numbers; a number
// is printed back as dotted text by ipText, which a test holds to ip-num's printing.

/** A CIDR block as ip-num reads it, kept as numbers: first and last address, prefix length. */
export interface Block {
  readonly cidr: string;
  readonly first: number;
  readonly last: number;
  readonly prefixLength: number;
}

const blocks = new Map<string, Block>();
const numbers = new Map<string, number>();

/** The block for a CIDR (a bare address is its /32), read once by ip-num and cached. */
export function block(text: string): Block {
  let b = blocks.get(text);
  if (!b) {
    const slash = text.indexOf('/');
    if (slash < 0 || text.endsWith('/32')) {
      // A single address (kube-proxy's `-d CLUSTER-IP/32`, pod /32 routes): ip-num reads
      // the address alone, three times cheaper than building a range with its mask.
      const n = ipNumber(slash < 0 ? text : text.slice(0, slash));
      b = { cidr: text, first: n, last: n, prefixLength: 32 };
    } else {
      const range = IPv4CidrRange.fromCidr(text);
      b = { cidr: text, first: Number(range.getFirst().getValue()), last: Number(range.getLast().getValue()), prefixLength: prefixLength(range) };
    }
    blocks.set(text, b);
  }
  return b;
}

/**
 * The block of `prefixLength` that starts at `first` (a network address: `first` is a
 * multiple of the block's size), for stepping through a range block by block (the
 * node podCIDR allocator walks 5,000 of them): the same Block that block() would
 * read from its text, without ip-num building a range for each (a test holds the two
 * to each other). Cached like block(), so block(its cidr) finds it.
 */
export function blockAt(first: number, prefixLength: number): Block {
  const size = 2 ** (32 - prefixLength);
  if (first % size !== 0) throw new Error(`internal: ${ipText(first)} is not the start of a /${prefixLength} block`);
  const text = `${ipText(first)}/${prefixLength}`;
  let b = blocks.get(text);
  if (!b) blocks.set(text, (b = { cidr: text, first, last: first + size - 1, prefixLength }));
  return b;
}

/**
 * An address IPAM has just printed from its number (ipText): remembered, so that
 * reading it back (kube-proxy's 10,000 `-d CLUSTER-IP` matches, walked by every
 * trace) does not make ip-num parse what was never text to begin with.
 */
export function allocatedAddress(n: number): string {
  const text = ipText(n);
  numbers.set(text, n);
  return text;
}

/** An address as a number, read once by ip-num and cached. */
export function ipNumber(text: string): number {
  let n = numbers.get(text);
  if (n === undefined) {
    n = Number(IPv4.fromDecimalDottedString(text).getValue());
    numbers.set(text, n);
  }
  return n;
}

/**
 * An address number (as ip-num read it) back to dotted text. Not arithmetic, just
 * printing four bytes: ip-num's IPv4.fromNumber().toString() goes through binary
 * strings and costs ~5 µs, 0.75 s for 150,000 pods, so this one step is done
 * directly; a test checks it against ip-num across the whole address space.
 * (Not cached: printing is cheaper than keeping 150,000 distinct answers in a Map.)
 */
export function ipText(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function blockContains(b: Block, ip: number): boolean {
  return ip >= b.first && ip <= b.last;
}

export function blocksOverlap(a: Block, b: Block): boolean {
  return a.first <= b.last && b.first <= a.last;
}
