// The seam: datapaths are plugins. Outside src/sim/cni and src/sim/proxy, no code
// names a mode (it asks the plugin), and every mode has its plugin.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CNI_MODES, CNI_PLUGINS } from './index.ts';
import { KUBE_PROXY_MODES, PROXY_PLUGINS } from '../proxy/index.ts';

const SRC = new URL('../../', import.meta.url).pathname;
const OWNERS = [join(SRC, 'sim/cni/'), join(SRC, 'sim/proxy/'), join(SRC, 'sim/testing/')];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) ? [path] : [];
  });
}

describe('the datapath seam', () => {
  it('no source outside src/sim/cni and src/sim/proxy spells a CNI or kube-proxy mode as a string', () => {
    const modes = [...CNI_MODES, ...KUBE_PROXY_MODES].join('|');
    const quoted = new RegExp(`(['"\`])(${modes})\\1`);
    const files = sources(SRC).filter((f) => !OWNERS.some((o) => f.startsWith(o)));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => quoted.test(line) && !/^\s*(\/\/|\*)/.test(line))
        .map(({ line, i }) => `${f.slice(SRC.length)}:${i + 1}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
  it('every mode has its plugin, registered under its own name', () => {
    for (const m of CNI_MODES) expect(CNI_PLUGINS[m].mode).toBe(m);
    for (const m of KUBE_PROXY_MODES) expect(PROXY_PLUGINS[m].mode).toBe(m);
    expect(Object.keys(CNI_PLUGINS).sort()).toEqual([...CNI_MODES].sort());
    expect(Object.keys(PROXY_PLUGINS).sort()).toEqual([...KUBE_PROXY_MODES].sort());
  });
});
