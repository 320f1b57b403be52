// The CLI's PATH… arguments as the files of one scenario: a file is itself, a
// directory (a `kubectl cluster-info dump --output-directory` tree) is every .json,
// .yaml and .yml file under it. Pod logs (NS/POD/logs.txt) and anything else are
// left out and counted, so the person hears what was not read.
import { join } from 'node:path';
import type { ScenarioFile } from '../sim/index.ts';

/** What the CLI needs of a file system (node:fs, or a test's). */
export interface FileSystem {
  readFile: (path: string) => string;
  isDirectory: (path: string) => boolean;
  readDir: (path: string) => string[];
}

const SCENARIO_FILE = /\.(json|ya?ml)$/i;

export type ReadPaths =
  | { ok: true; files: ScenarioFile[]; /** Files under a directory that were not read (logs.txt…), by path. */ skipped: string[] }
  | { ok: false; /** The path that could not be read, and why. */ path: string; reason: string };

export function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
}

/**
 * Read the paths in the order given; a directory's files in name order, its own
 * files before its subdirectories', so `nodes.json` comes before each namespace's.
 */
export function readPaths(fs: FileSystem, paths: string[]): ReadPaths {
  const files: ScenarioFile[] = [];
  const skipped: string[] = [];
  const walk = (dir: string): ReadPaths | undefined => {
    let names: string[];
    try {
      names = [...fs.readDir(dir)].sort();
    } catch (e) {
      return { ok: false, path: dir, reason: why(e) };
    }
    const dirs: string[] = [];
    for (const name of names) {
      const path = join(dir, name);
      if (fs.isDirectory(path)) dirs.push(path);
      else if (!SCENARIO_FILE.test(name)) skipped.push(path);
      else {
        try {
          // Named from where the person pointed: DIR/kube-system/pods.json.
          files.push({ name: path, text: fs.readFile(path) });
        } catch (e) {
          return { ok: false, path, reason: why(e) };
        }
      }
    }
    for (const d of dirs) {
      const failed = walk(d);
      if (failed) return failed;
    }
    return undefined;
  };
  for (const path of paths) {
    let isDir = false;
    try {
      isDir = fs.isDirectory(path);
    } catch {
      // Not there (or not to be looked at): reading it as a file says why.
    }
    if (isDir) {
      const failed = walk(path);
      if (failed) return failed;
      continue;
    }
    try {
      files.push({ name: path, text: fs.readFile(path) });
    } catch (e) {
      return { ok: false, path, reason: why(e) };
    }
  }
  return { ok: true, files, skipped };
}

/** The skipped files in one sentence: how many, and a few of their names. */
export function skippedText(skipped: string[]): string {
  const shown = skipped.slice(0, 3).join(', ');
  const more = skipped.length > 3 ? ` and ${skipped.length - 3} more` : '';
  return `read only .json, .yaml and .yml files: skipped ${skipped.length} other file${skipped.length === 1 ? '' : 's'} (pod logs and the like): ${shown}${more}`;
}
