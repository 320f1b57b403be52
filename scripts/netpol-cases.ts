// Writes src/sim/policy/upstream/cases/*.yaml from the transcription (see its LICENSE-NOTICE.md).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { casesDir, caseFiles } from '../src/sim/policy/upstream/files.ts';

const dir = fileURLToPath(casesDir);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const f of caseFiles()) writeFileSync(`${dir}/${f.file}`, f.text);
console.log(`wrote ${caseFiles().length} cases to ${dir}`);

