// The engine runs in Node and in the browser: no React, no DOM, no Node APIs
// outside tests (tsconfig.sim.json leaves out the DOM library, this guards the rest).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'testing' ? [] : sources(p);
    return /\.ts$/.test(f) && !/\.(test|kernel)\.ts$/.test(f) ? [p] : [];
  });
}

describe('src/sim is a pure engine', () => {
  it('imports nothing from React, the DOM or Node', () => {
    const offenders = sources(root).filter((f) => /from ['"](react|react-dom|@xyflow\/react|zustand|node:[a-z]+|fs|path|child_process)['"]/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
