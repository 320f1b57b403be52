import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { loadLesson, type Lesson } from './index.ts';
import { scorePrediction } from './predict.ts';
import { summarize } from './summary.ts';
import { walkFacts } from './facts.ts';

const pub = (p: string) => new URL(`../../../public/${p}`, import.meta.url);
function builtin(file: string): Lesson {
  const r = loadLesson(readFileSync(pub(`lessons/${file}`), 'utf8'), file, (n) => (existsSync(pub(`scenarios/${n}`)) ? readFileSync(pub(`scenarios/${n}`), 'utf8') : undefined));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe("a lesson's predictions summed up", () => {
  // Lesson 6 asks four questions.
  const lesson = builtin('06-port-mapping.yaml');
  const asked = lesson.steps.map((s, i) => [s, i] as const).filter(([s]) => s.question);
  const isPod = (s: Lesson['steps'][number]) => (netns: string) => s.scenario.pods.some((p) => `${p.namespace}/${p.name}` === netns);
  const answer = (i: number, right: boolean) => {
    const s = lesson.steps[i];
    const f = walkFacts(s.trace!);
    const guess = right ? { answer: f.answeredBy, verdict: f.verdict, source: f.sourceSeen, devices: [] } : { answer: 'default/nobody', verdict: f.verdict === 'delivered' ? ('dropped' as const) : ('delivered' as const), source: '203.0.113.99', devices: [] };
    return scorePrediction(s.trace!, guess, s.question!.parts, isPod(s));
  };

  it('counts each part asked, right of scored, and lists every miss with its step and the trace’s answer', () => {
    expect(asked.length).toBeGreaterThanOrEqual(3);
    const [first, second] = asked;
    const scores = { [first[1]]: answer(first[1], true), [second[1]]: answer(second[1], false) };
    const sum = summarize(lesson, scores);
    const parts = [...first[0].question!.parts, ...second[0].question!.parts];
    expect(sum.scored).toBe(parts.length);
    expect(sum.right).toBe(first[0].question!.parts.length);
    for (const t of sum.tallies) {
      expect(t.scored).toBe(parts.filter((p) => p === t.part).length);
      expect(t.right).toBe(first[0].question!.parts.filter((p) => p === t.part).length);
    }
    expect(sum.missed.map((m) => [m.step, m.score.part])).toEqual(second[0].question!.parts.map((p) => [second[1] + 1, p]));
    expect(sum.missed[0].score.truth).not.toBe(sum.missed[0].score.said);
    expect(sum.unanswered).toEqual(asked.slice(2).map(([, i]) => i + 1));
  });

  it('nothing answered: nothing scored, every question unanswered', () => {
    const sum = summarize(lesson, {});
    expect(sum).toMatchObject({ scored: 0, right: 0, tallies: [], missed: [] });
    expect(sum.unanswered).toEqual(asked.map(([, i]) => i + 1));
  });
});
