// Every built-in lesson, read and checked as the playground reads it: each step's
// packet traces against the cluster as it is at that step, and what each narration
// claims is stated in `expect` and held to the engine's trace.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatLessonIssue, loadLesson } from './index.ts';
import { CNI_MODES } from '../model.ts';

const PUBLIC = fileURLToPath(new URL('../../../public/', import.meta.url));
const read = (path: string) => readFileSync(`${PUBLIC}${path}`, 'utf8');
const scenarioFile = (name: string) => (existsSync(`${PUBLIC}scenarios/${name}`) ? read(`scenarios/${name}`) : undefined);
const index = JSON.parse(read('lessons/index.json')) as { lessons: string[] };

describe('the built-in lessons', () => {
  it('index.json lists every lesson file in public/lessons/, each once', () => {
    const files = readdirSync(`${PUBLIC}lessons`).filter((f) => /\.ya?ml$/.test(f));
    expect([...index.lessons].sort()).toEqual(files.sort());
    expect(new Set(index.lessons).size).toBe(index.lessons.length);
  });

  it('there are at least the six of issue 9 §1 (own netns, IP management, same host, across hosts, Services, port mapping)', () => {
    expect(index.lessons.length).toBeGreaterThanOrEqual(6);
  });

  it('lesson 7 (choosing a CNI) sends its packet under every CNI mode the engine has: a new mode needs its step', () => {
    const r = loadLesson(read('lessons/07-choosing-a-cni.yaml'), '07-choosing-a-cni.yaml', scenarioFile);
    if (!r.ok) throw new Error(r.issues.map(formatLessonIssue).join('\n'));
    const traced = new Set(r.value.steps.filter((s) => s.trace).map((s) => s.scenario.cluster.cni));
    expect([...CNI_MODES].filter((m) => !traced.has(m))).toEqual([]);
    // The same packet every time: only the datapath changes.
    const packets = new Set(r.value.steps.map((s) => s.packet && JSON.stringify(s.packet.request)).filter(Boolean));
    expect(packets.size).toBe(1);
  });

  for (const file of index.lessons) {
    describe(file, () => {
      const r = loadLesson(read(`lessons/${file}`), file, scenarioFile);
      it('reads, and every step checks against the cluster as it is at that step', () => {
        expect(r.ok ? [] : r.issues.map(formatLessonIssue)).toEqual([]);
      });
      if (!r.ok) return;
      it('every step with a packet traces it, and states what it claims the trace shows', () => {
        for (const [i, step] of r.value.steps.entries()) {
          if (!step.packet) continue;
          expect(step.trace, `step ${i + 1}`).toBeDefined();
          expect(step.expect, `step ${i + 1} of ${file} sends a packet but claims nothing checkable (expect)`).toBeDefined();
          if (step.packet.reply) expect(step.trace!.reply.length, `step ${i + 1}`).toBeGreaterThan(0);
        }
      });
      it('narration is short: a sentence or three per step', () => {
        for (const [i, step] of r.value.steps.entries()) {
          const sentences = step.say.split(/[.?!](?:\s|$)/).filter((s) => s.trim()).length;
          expect(sentences, `step ${i + 1}: ${step.say}`).toBeLessThanOrEqual(3);
        }
      });
    });
  }
});
