// The lessons the page offers: public/lessons/index.json names the built-in ones; a
// person can also open a lesson file of their own. Each is read and checked by the
// engine (src/sim/lesson, loaded on demand: it brings the YAML reader) against its
// scenario, fetched from public/scenarios/ when the lesson names a file.
import type { Lesson } from '../../sim/lesson/types.ts';
import type { LessonOrigin } from '../../store/lessons.ts';

/** A lesson ready to play, or what is wrong with its file (each problem names the file, step and field). */
export type CatalogEntry = { file: string; lesson: Lesson } | { file: string; problems: string[] };

const base = () => (typeof import.meta.env?.BASE_URL === 'string' ? import.meta.env.BASE_URL : '/');

/** A file the page serves, or undefined when there is none (a 404, or the page's own HTML served in its place). */
async function fetchText(path: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${base()}${path}`);
    if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return undefined;
    return await res.text();
  } catch {
    return undefined;
  }
}

/** Read and check one lesson's text, fetching the scenario file it names. */
export async function checkLessonText(text: string, source: string): Promise<CatalogEntry> {
  const m = await import('../../sim/lesson/index.ts');
  const read = m.readLesson(text, source);
  const checked = read.ok ? m.checkLesson(read.value, read.value.scenario.kind === 'file' ? await fetchText(`scenarios/${read.value.scenario.file}`) : undefined) : read;
  return checked.ok ? { file: source, lesson: checked.value } : { file: source, problems: checked.issues.map(m.formatLessonIssue) };
}

let catalog: Promise<CatalogEntry[] | string> | undefined;

/** The built-in lessons, each checked (once per visit); a string when the list itself could not be read. */
export function builtinLessons(): Promise<CatalogEntry[] | string> {
  return (catalog ??= (async () => {
    const index = await fetchText('lessons/index.json');
    let files: unknown;
    try {
      files = index === undefined ? undefined : (JSON.parse(index) as { lessons?: unknown }).lessons;
    } catch {
      files = undefined;
    }
    if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) {
      catalog = undefined;
      return 'The list of lessons (lessons/index.json) could not be read.';
    }
    return Promise.all(
      (files as string[]).map(async (file): Promise<CatalogEntry> => {
        const text = await fetchText(`lessons/${file}`);
        if (text === undefined) return { file, problems: [`${file}: lessons/${file} was not found`] };
        return checkLessonText(text, file);
      }),
    );
  })());
}

/** For tests: read the list again on the next call. */
export function forgetCatalog() {
  catalog = undefined;
}

/** A lesson opened again from where it came (after a reload): the lesson, or why it cannot be opened. */
export async function lessonFrom(origin: LessonOrigin): Promise<Lesson | string> {
  if (origin.kind === 'file') {
    const entry = await checkLessonText(origin.text, origin.name);
    return 'lesson' in entry ? entry.lesson : entry.problems.join('\n');
  }
  const list = await builtinLessons();
  if (typeof list === 'string') return list;
  const entry = list.find((e) => e.file === origin.file);
  if (!entry) return `${origin.file} is no longer one of the built-in lessons`;
  return 'lesson' in entry ? entry.lesson : entry.problems.join('\n');
}
