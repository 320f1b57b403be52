// bin/podpath.mjs as `npx podpath` runs it: the JavaScript tsc built into dist-cli/,
// spawned, answering as main() does in process (cli.test.ts tests main() itself).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { main } from './main.ts';

async function inProcess(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), readFile: (p) => readFileSync(p, 'utf8') });
  return { code, out, err };
}

describe('bin/podpath.mjs, as `npx podpath` runs it', () => {
  // The command people run is the tsc build in dist-cli/; build it when it is missing or stale.
  beforeAll(async () => {
    // @ts-expect-error: a plain .mjs module without types
    const { builtCliProblem } = (await import('../../bin/cliBuild.mjs')) as { builtCliProblem: () => string | undefined };
    if (builtCliProblem()) execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.cli.json'], { stdio: 'pipe' });
  }, 120_000);
  const podpath = (args: string[]) => spawnSync(process.execPath, ['bin/podpath.mjs', ...args], { encoding: 'utf8' });

  it('runs the built JavaScript (no note on stderr) and prints what main() prints', async () => {
    const args = ['trace', 'public/scenarios/flannel-vxlan.yaml', '--from', 'deployment/default/web', '--to', 'service/default/web:80', '--json'];
    const r = podpath(args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe((await inProcess(args)).out);
    expect(JSON.parse(r.stdout).verdict).toBe('delivered');
  });
  it('exits 2 with a clear message on bad input, as main() does', async () => {
    const r = podpath(['ipam', 'nope.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('podpath: cannot read nope.yaml: no such file\n');
    expect(r.stderr).toBe((await inProcess(['ipam', 'nope.yaml'])).err);
  });
});
