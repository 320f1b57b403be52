// The lab gives every kernel device the engine's MAC, so what `ip neigh`, `bridge
// fdb` and the frames show in podpath is what the kernel holds (the kernel
// differential compares them device by device).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compile, vethName } from '../dataplane/compile.ts';
import { load, scenarioFile } from '../testing/helpers.ts';
import { labScriptFor } from './index.ts';

describe('lab MACs', () => {
  const s = load(scenarioFile('flannel-vxlan.yaml'));
  const dp = compile(s);
  const script = labScriptFor(dp);
  const mac = (netns: string, dev: string) => dp.netns(netns)!.devices.find((d) => d.name === dev)!.mac;

  it('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
  });

  it('plugs each node and the client into the switch with the engine\'s MACs on both ends', () => {
    for (const n of s.nodes) {
      expect(script).toContain(`ip -n 'pp-node-network' link add 'port-${n.name}' address ${mac('node-network', `port-${n.name}`)} type veth peer name eth0 address ${mac(n.name, 'eth0')} netns 'pp-${n.name}'`);
    }
    expect(script).toContain(`link add 'port-external' address ${mac('node-network', 'port-external')} type veth peer name eth0 address ${mac('external', 'eth0')} netns 'pp-external'`);
    expect(script).toContain(`ip -n 'pp-node-network' link set br0 address ${mac('node-network', 'br0')}`);
  });

  it('after each pod\'s CNI ADD, sets its eth0, its host-side veth and cni0 to the engine\'s', () => {
    for (const p of s.pods) {
      const key = `${p.namespace}/${p.name}`;
      const add = script.indexOf(`cni_exec 'pp-${p.nodeName}' 'pp-${p.namespace}-${p.name}'`);
      const set = script.indexOf(`set_pod_macs 'pp-${p.nodeName}' 'pp-${p.namespace}-${p.name}' ${mac(key, 'eth0')} ${mac(p.nodeName!, vethName(p))}`);
      expect(add).toBeGreaterThan(0);
      expect(set).toBeGreaterThan(add);
      expect(script.indexOf(`ip -n 'pp-${p.nodeName}' link set cni0 address ${mac(p.nodeName!, 'cni0')}`, set)).toBeGreaterThan(set);
    }
  });
});
