// dist-cli/podpath.cjs, the one-file bundle bin/podpath.mjs runs when it is current
// (scripts/bundle-cli.mjs): it answers as main() from the sources does.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
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

  it('starts from its code cache, as `npx podpath` runs it (a Node without flags: V8 would ignore a cache made under others)', () => {
    const said = execFileSync(process.execPath, ['--input-type=module', '-e', "import { loadBundle } from './bin/cliBuild.mjs'; const b = loadBundle(); process.stdout.write(JSON.stringify({ rejected: b.cacheRejected, main: typeof b.exports.main }))"], { encoding: 'utf8' });
    expect(JSON.parse(said)).toEqual({ rejected: false, main: 'function' });
    expect(statSync('dist-cli/podpath.code-cache').size).toBeGreaterThan(100_000);
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
