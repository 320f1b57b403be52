// The Lessons dialog: the built-in lessons (public/lessons/), or a lesson file of one's
// own. A lesson whose file has a problem is listed with the problem (file, step,
// field), not offered. Choosing one opens its first step in the player. Loaded when the
// Lessons button is first pressed (Lessons.tsx).
import { useEffect, useRef, useState } from 'react';
import Dialog from '../a11y/Dialog.tsx';
import type { Lesson } from '../../sim/lesson/types.ts';
import type { LessonOrigin } from '../../store/lessons.ts';
import { lessons } from '../playground.ts';
import { builtinLessons, checkLessonText, type CatalogEntry } from './catalog.ts';
import styles from './Lessons.module.css';

type Listed = { kind: 'loading' } | { kind: 'failed'; text: string } | { kind: 'ready'; entries: CatalogEntry[] };

export async function startLesson(lesson: Lesson, origin?: LessonOrigin) {
  await lessons.getState().start(lesson, 0, origin);
  // The keyboard goes to the player, ready for the next step.
  requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('[data-lesson-next]')?.focus());
}

export default function LessonList({ onClose, returnFocus }: { onClose: () => void; returnFocus: () => HTMLElement | null }) {
  const [listed, setListed] = useState<Listed>({ kind: 'loading' });
  const [own, setOwn] = useState<CatalogEntry | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    let live = true;
    void builtinLessons().then((r) => live && setListed(typeof r === 'string' ? { kind: 'failed', text: r } : { kind: 'ready', entries: r }));
    return () => void (live = false);
  }, []);
  // Focus the first lesson once the list is there (the dialog itself until then).
  useEffect(() => {
    list.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [listed]);

  // Closed without a choice: the keyboard goes back to the Lessons button (Dialog's returnFocus).
  const close = onClose;
  const choose = (lesson: Lesson, origin: LessonOrigin) => {
    onClose();
    void startLesson(lesson, origin);
  };
  const openOwn = async (f: File | undefined) => {
    if (!f) return;
    const text = await f.text();
    const entry = await checkLessonText(text, f.name);
    if (file.current) file.current.value = '';
    if ('lesson' in entry) choose(entry.lesson, { kind: 'file', name: f.name, text });
    else setOwn(entry);
  };
  const entries = listed.kind === 'ready' ? listed.entries : [];
  return (
    <Dialog labelledBy="lessons-title" onClose={close} returnFocus={returnFocus} className={styles.dialog}>
      <div className={styles.head}>
        <h2 id="lessons-title">Lessons</h2>
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
      <p className={styles.intro}>Each lesson opens its own cluster and walks you through it step by step. Leave it at any time: your own cluster comes back as it was.</p>
      {listed.kind === 'loading' && <p className={styles.muted}>Reading the lessons…</p>}
      {listed.kind === 'failed' && (
        <p className={styles.problem} role="alert">
          {listed.text}
        </p>
      )}
      <ol ref={list} className={styles.list} aria-label="Built-in lessons">
        {entries.map((e) =>
          'lesson' in e ? (
            <li key={e.file}>
              <button type="button" className={styles.lesson} onClick={() => choose(e.lesson, { kind: 'builtin', file: e.file })}>
                <span className={styles.title}>{e.lesson.title}</span>
                {e.lesson.summary && <span className={styles.summary}>{e.lesson.summary}</span>}
                <span className={styles.steps}>{e.lesson.steps.length} steps</span>
              </button>
            </li>
          ) : (
            <li key={e.file} className={styles.broken}>
              <span className={styles.title}>{e.file}</span>
              <span className={styles.problem}>{e.problems.join('\n')}</span>
            </li>
          ),
        )}
      </ol>
      <div className={styles.own}>
        <button type="button" onClick={() => file.current?.click()}>
          Open a lesson file…
        </button>
        <input ref={file} type="file" accept=".yaml,.yml,text/yaml" hidden aria-label="Lesson file" onChange={(e) => void openOwn(e.target.files?.[0])} />
        <span className={styles.muted}>A podpath.dev/v1alpha1 Lesson in YAML (see the README).</span>
      </div>
      {own && 'problems' in own && (
        <p className={styles.problem} role="alert">
          {own.problems.join('\n')}
        </p>
      )}
    </Dialog>
  );
}
