// Reading a big file (a 500-node dump is megabytes): the engine parses it on the page's
// thread, then the canvas lays it out. Meanwhile the canvas says what is being read,
// so a slow import is never a frozen page with no explanation.
import { create } from 'zustand';
import { preloadSearch } from '../search/onDemand.ts';

/** Smaller files open at once: nothing is shown (a flash would only distract). */
export const PROGRESS_ABOVE_BYTES = 256 * 1024;

export interface Importing {
  file: string;
  bytes: number;
}
export const importProgress = create<{ importing: Importing | null }>(() => ({ importing: null }));

/** After the browser has painted what is on screen now (two frames: the one being built, then its paint). */
const painted = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));

/** Run `work` (reading the file into the store) with the progress shown for a big file, until the canvas has drawn the result. */
export async function withImportProgress<T>(file: { name: string; size: number }, work: () => Promise<T>): Promise<T> {
  if (file.size <= PROGRESS_ABOVE_BYTES) return work();
  // A file this size may be a big cluster: its search loads while the file is read.
  void preloadSearch().catch(() => {});
  importProgress.setState({ importing: { file: file.name, bytes: file.size } });
  try {
    await painted();
    const out = await work();
    await painted();
    return out;
  } finally {
    importProgress.setState({ importing: null });
  }
}
