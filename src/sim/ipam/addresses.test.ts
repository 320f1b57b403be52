import { describe, expect, it } from 'vitest';
import { IPv4, IPv4CidrRange } from 'ip-num';
import { addressProblem, allocatedAddress, block, blockAt, cidrProblem, ipNumber, ipText } from './addresses.ts';

describe('addresses, read by ip-num', () => {
  it('prints an address number exactly as ip-num does, across the address space', () => {
    const samples = [0, 1, 255, 256, 65535, 167772160, 3232235775, 4294967295];
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 2 ** 32));
    for (const n of samples) expect(ipText(n)).toBe(IPv4.fromNumber(BigInt(n)).toString());
  });
  it('reads blocks and addresses to numbers and back', () => {
    expect(block('10.244.1.0/24')).toMatchObject({ first: ipNumber('10.244.1.0'), last: ipNumber('10.244.1.255'), prefixLength: 24 });
    expect(block('10.244.1.7')).toMatchObject({ prefixLength: 32 });
    expect(ipText(ipNumber('192.168.56.254'))).toBe('192.168.56.254');
  });
  it('an address IPAM printed reads back as the number it was printed from, as ip-num reads it', () => {
    for (const n of [ipNumber('172.16.0.11'), 2886729739 + 77, 167772160 + 513]) {
      const text = allocatedAddress(n);
      expect(ipNumber(text)).toBe(n);
      expect(ipNumber(text)).toBe(Number(IPv4.fromDecimalDottedString(text).getValue()));
    }
  });
  it('blockAt gives the block ip-num reads from the same CIDR text', () => {
    for (const [first, len] of [['10.0.0.0', 24], ['10.19.136.0', 22], ['192.168.0.0', 16], ['172.16.5.128', 25], ['0.0.0.0', 1], ['10.0.0.4', 30]] as const) {
      const b = blockAt(ipNumber(first), len);
      const text = `${first}/${len}`;
      expect(b.cidr).toBe(text);
      const range = IPv4CidrRange.fromCidr(text);
      expect([b.first, b.last, b.prefixLength]).toEqual([Number(range.getFirst().getValue()), Number(range.getLast().getValue()), len]);
      expect(block(text)).toEqual(b);
    }
    expect(() => blockAt(ipNumber('10.0.0.1'), 24)).toThrow(/not the start/);
  });
  it('refuses what ip-num would accept but is not a network block', () => {
    expect(cidrProblem('10.0.0.1/24')).toBe('"10.0.0.1/24" is not a network address: the block is 10.0.0.0/24');
    expect(cidrProblem('10.0.0.0/24')).toBeUndefined();
    expect(addressProblem('10.0.0.256')).toContain('is not an IPv4 address');
  });
});
