#!/usr/bin/env node
// npm run test:kernel — podpath held against the Linux kernel and the real CNI
// plugins (scripts/kernel/differential.kernel.ts). It needs root and working
// network namespaces; without them it says why and runs nothing: it never reports a
// check it did not make. On a laptop that is exit 0 (the unit tests still ran); in
// CI (CI set, as CI services and .ci/run set it) a differential that cannot run is a
// failure, so a run can never go green without it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const inCi = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());
const notRun = (why) => {
  if (inCi) {
    console.error(`✗ test:kernel: the kernel differential cannot run here: ${why}.`);
    console.error(`  CI=${process.env.CI}: in CI it must run (as root, on Linux with network namespaces), so this is a failure, not a skip.`);
    process.exit(1);
  }
  console.log(`kernel tests NOT RUN: ${why}`);
  console.log('(nothing was checked against the kernel; run `sudo npm run test:kernel` on Linux to check)');
  process.exit(0);
};

if (process.platform !== 'linux') notRun(`network namespaces need Linux, this is ${process.platform}`);
if (typeof process.getuid === 'function' && process.getuid() !== 0) notRun('not root (creating network namespaces needs CAP_NET_ADMIN)');
if (spawnSync('ip', ['-V']).status !== 0) notRun('`ip` (iproute2) is not installed: apt-get install iproute2');

// Can this machine make a network namespace at all (containers often cannot)? The
// probe carries the run's prefix, so a run touches only namespaces of its own.
const prefix = process.env.PODPATH_KERNEL_PREFIX || 'ppk';
const probeNs = `${prefix}-check-${process.pid}`;
const add = spawnSync('ip', ['netns', 'add', probeNs], { encoding: 'utf8' });
if (add.status !== 0) notRun(`\`ip netns add\` does not work here: ${(add.stderr || '').trim() || `exit ${add.status}`}`);
const inside = spawnSync('ip', ['netns', 'exec', probeNs, 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
spawnSync('ip', ['netns', 'del', probeNs]);
if (inside.status !== 0) notRun(`\`ip netns exec\` does not work here: ${(inside.stderr || '').trim()}`);

// Root with working namespaces: the rest is required, and missing pieces are failures.
const missing = [];
for (const tool of ['iptables', 'iptables-restore', 'iptables-save', 'bridge', 'nft', 'python3', 'conntrack', 'bird', 'birdc', 'clang', 'bpftool', 'tc', 'ipset', 'tcpdump']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) missing.push(tool);
}
for (const plugin of ['bridge', 'host-local', 'portmap', 'ptp']) {
  if (!existsSync(`/usr/lib/cni/${plugin}`)) missing.push(`/usr/lib/cni/${plugin}`);
}
if (!existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')) missing.push('br_netfilter (modprobe br_netfilter)');
if (!existsSync('/usr/include/bpf/bpf_helpers.h')) missing.push("libbpf's headers (libbpf-dev)");
if (missing.length) {
  console.error(`kernel tests cannot run, missing: ${missing.join(', ')}`);
  console.error('install: apt-get install iproute2 iptables nftables python3 conntrack containernetworking-plugins bird2 clang libbpf-dev bpftool ipset tcpdump');
  process.exit(1);
}

const r = spawnSync(process.execPath, [resolve(root, 'bin/tsx-run.mjs'), resolve(root, 'scripts/kernel/differential.kernel.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
