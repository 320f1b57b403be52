import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { fnv1a, hex, kubeProxyHash, macFor, sha256, sha512 } from './hash.ts';

describe('chain name hashes (@noble/hashes)', () => {
  it('match the names real kube-proxy gives well-known Services', () => {
    // Seen in iptables-save on kubeadm clusters.
    expect(kubeProxyHash('default/kubernetes:httpstcp')).toBe('NPX46M4PTMTKRN6Y');
    expect(kubeProxyHash('kube-system/kube-dns:dnsudp')).toBe('TCOU7JCQXEZGVUNU');
    expect(kubeProxyHash('kube-system/kube-dns:dns-tcptcp')).toBe('ERIFXISQEP7F7OF4');
    expect(kubeProxyHash('kube-system/kube-dns:metricstcp')).toBe('JD5MR3NA4I4DYORP');
  });
  it('sha256 agrees with node:crypto on inputs across block boundaries', () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 200]) {
      const data = new Uint8Array(len).map((_, i) => (i * 31 + 7) & 255);
      expect(Buffer.from(sha256(data)).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
  it('sha512 agrees with node:crypto, and gives portmap\'s chain name seen in the kernel', () => {
    for (const len of [0, 3, 111, 112, 127, 128, 129, 300]) {
      const data = new Uint8Array(len).map((_, i) => (i * 17 + 3) & 255);
      expect(hex(sha512(data))).toBe(createHash('sha512').update(data).digest('hex'));
    }
    // portmap on this machine named the chain for network cbr0, container pptest-p5:
    expect('CNI-DN-' + hex(sha512(new TextEncoder().encode('cbr0pptest-p5'))).slice(0, 21)).toBe('CNI-DN-ab74383b763faa9034ff9');
  });
  it('gives locally administered unicast MACs', () => {
    const mac = macFor('node-1/eth0');
    expect(mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(macFor('node-1/eth0')).toBe(mac);
    expect(macFor('node-2/eth0')).not.toBe(mac);
    // The bytes are FNV-1a of the seed (4) and of seed + '#' (1), after 02.
    for (const seed of ['node-1/eth0', 'default/web-1/eth0', 'node-network/node-4999', '']) {
      const a = fnv1a(seed);
      const b = fnv1a(`${seed}#`);
      expect(macFor(seed)).toBe([2, a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, b & 255].map((x) => x.toString(16).padStart(2, '0')).join(':'));
    }
  });
});
