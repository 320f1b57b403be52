// dist-cli/podpath.cjs, the one-file bundle bin/podpath.mjs runs when it is current
// (scripts/bundle-cli.mjs): it answers as main() from the sources does.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.ts';

type Main = typeof main;

async function answers(run: Main, args: string[]) {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => void (out += t), err: (t) => void (err += t), readFile: (p) => readFileSync(p, 'utf8') });
  return { code, out, err };
}

describe('the bundled CLI (dist-cli/podpath.cjs, run with its code cache)', () => {
  let bundled: Main;
  beforeAll(async () => {
    // @ts-expect-error: a plain .mjs module without types
    const build = (await import('../../bin/cliBuild.mjs')) as { builtCliProblem: () => string | undefined; bundleProblem: () => string | undefined; loadBundle: () => { exports: { main: Main } } };
    if (build.builtCliProblem()) execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.cli.json'], { stdio: 'pipe' });
    if (build.bundleProblem()) execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { stdio: 'pipe' });
    expect(build.bundleProblem()).toBeUndefined();
    // As bin/podpath.mjs loads it: the CommonJS bundle run as a script, with its code cache.
    ({ main: bundled } = build.loadBundle().exports);
  }, 120_000);

  /** In a Node of its own (without flags, as `npx podpath` runs): whether the cache was used, and what --help prints. */
  const started = (root: string) =>
    JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', "import { loadBundle } from './bin/cliBuild.mjs'; const b = loadBundle(); let out = ''; const code = await b.exports.main(['--help'], { out: (t) => (out += t), err: (t) => (out += t), readFile: () => '' }); process.stdout.write(JSON.stringify({ used: b.cacheUsed, code, out: out.split('\\n')[0] }))"], { encoding: 'utf8', cwd: root }),
    ) as { used: boolean; code: number; out: string };

  it('starts from its code cache, as `npx podpath` runs it (a Node without flags: V8 would ignore a cache made under others)', () => {
    expect(started('.')).toEqual({ used: true, code: 0, out: 'podpath — Kubernetes networking, packet by packet' });
    expect(statSync('dist-cli/podpath.code-cache').size).toBeGreaterThan(100_000);
  });

  it('never runs a cache that is not of this bundle, nor a damaged one, nor dies on one it cannot read', () => {
    // A copy of the built CLI to spoil: V8 itself checks a cache only by the source's length and its header.
    const root = mkdtempSync(join(tmpdir(), 'podpath-cache-'));
    try {
      mkdirSync(join(root, 'bin'));
      mkdirSync(join(root, 'dist-cli'));
      copyFileSync('bin/cliBuild.mjs', join(root, 'bin', 'cliBuild.mjs'));
      for (const f of ['podpath.cjs', 'podpath.code-cache', 'podpath.code-cache.sha256']) copyFileSync(join('dist-cli', f), join(root, 'dist-cli', f));
      expect(started(root).used).toBe(true);
      // The same bundle changed without changing its length (what V8 would not notice): compiled anew, its own words printed.
      const bundle = readFileSync(join(root, 'dist-cli', 'podpath.cjs'), 'utf8');
      writeFileSync(join(root, 'dist-cli', 'podpath.cjs'), bundle.replace('networking, packet by packet', 'networking, PACKET BY PACKET'));
      expect(started(root)).toEqual({ used: false, code: 0, out: 'podpath — Kubernetes networking, PACKET BY PACKET' });
      writeFileSync(join(root, 'dist-cli', 'podpath.cjs'), bundle);
      // A damaged cache (one byte changed, its header intact): not used.
      const cache = readFileSync(join(root, 'dist-cli', 'podpath.code-cache'));
      cache[cache.length >> 1] ^= 0x40;
      writeFileSync(join(root, 'dist-cli', 'podpath.code-cache'), cache);
      expect(started(root)).toEqual({ used: false, code: 0, out: 'podpath — Kubernetes networking, packet by packet' });
      // One that cannot be read at all.
      rmSync(join(root, 'dist-cli', 'podpath.code-cache'));
      mkdirSync(join(root, 'dist-cli', 'podpath.code-cache'));
      expect(started(root)).toEqual({ used: false, code: 0, out: 'podpath — Kubernetes networking, packet by packet' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  for (const args of [
    ['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'deployment/default/web', '--to', 'service/default/web:80', '--json'],
    ['trace', 'public/scenarios/bridge-hostgw.yaml', '--from', 'external', '--to', 'node/node-1:30080'],
    ['show', 'public/scenarios/vpc.yaml', 'node-1'],
    ['ipam', 'public/scenarios/demo.yaml'],
    ['lab', 'public/scenarios/flannel-vxlan.yaml'],
    ['ipam', 'nope.yaml'],
  ]) {
    it(`podpath ${args.join(' ')}`, async () => {
      const fromSources = await answers(main, args);
      expect(await answers(bundled, args)).toEqual(fromSources);
      expect(fromSources.out.length + fromSources.err.length).toBeGreaterThan(0);
    });
  }
});
