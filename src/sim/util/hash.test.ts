import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { kubeProxyHash, macFor, sha256 } from './hash.ts';

describe('kube-proxy chain name hashes', () => {
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
  it('gives locally administered unicast MACs', () => {
    const mac = macFor('node-1/eth0');
    expect(mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(macFor('node-1/eth0')).toBe(mac);
    expect(macFor('node-2/eth0')).not.toBe(mac);
  });
});
