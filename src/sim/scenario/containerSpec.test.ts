import { describe, expect, it } from 'vitest';
import { argvOf, flag, probeTargetsOf } from './containerSpec.ts';

describe('a container as the kubelet runs it', () => {
  it('reads a flag in both spellings, the last one counting', () => {
    const argv = argvOf({ command: ['kube-apiserver', '--secure-port=6443'], args: ['--bind-address', '127.0.0.1', '--secure-port', '8443', 7] });
    expect(argv).toEqual(['kube-apiserver', '--secure-port=6443', '--bind-address', '127.0.0.1', '--secure-port', '8443']);
    expect(flag(argv, 'secure-port')).toBe('8443');
    expect(flag(argv, 'bind-address')).toBe('127.0.0.1');
    expect(flag(argv, 'secure')).toBeUndefined();
    expect(flag(['--cluster-cidr'], 'cluster-cidr')).toBeUndefined();
  });

  it('lists where its probes connect, with the host only when one is set', () => {
    const c = {
      livenessProbe: { httpGet: { port: 8080, host: '127.0.0.1' } },
      readinessProbe: { tcpSocket: { port: 'http', host: '' } },
      startupProbe: { exec: { command: ['true'] } },
    };
    expect(probeTargetsOf(c)).toEqual([{ port: 8080, host: '127.0.0.1' }, { port: 'http' }]);
  });
});
