// Why a saved playground could not be read, as a typed code (what code decides on)
// and in a person's words (what the page shows). Kept apart from restore.ts so the
// page can word a problem without loading the scenario parser.
import { formatIssue, type PodpathIssue } from '../errors.ts';

/** The save format this podpath writes; restore.ts migrates every older one up to it. */
export const SAVE_VERSION = 2;

export type RestoreProblem =
  /** Not JSON at all, or cut short. */
  | { code: 'not-json' }
  /** JSON, but not a save podpath wrote (no version, or not an object). */
  | { code: 'not-a-save' }
  /** A version number podpath never wrote, so there is no migration for it. */
  | { code: 'unknown-version'; version: unknown }
  /** Written by a newer podpath than this page. */
  | { code: 'newer-version'; version: number }
  /** The cluster in it does not pass the scenario parser or IPAM (the issues say why). */
  | { code: 'cluster-refused'; issues: PodpathIssue[] };

const MAX_ISSUES = 3;

/** One or two sentences a person can act on. */
export function describeRestoreProblem(p: RestoreProblem): string {
  switch (p.code) {
    case 'not-json':
      return 'The saved text is not complete JSON: it may have been cut short, or edited by hand.';
    case 'not-a-save':
      return 'The saved text is JSON, but not a playground that podpath saved.';
    case 'unknown-version':
      return `The saved text says it is save format ${JSON.stringify(p.version)}, which no podpath ever wrote.`;
    case 'newer-version':
      return `It was saved by a newer podpath (save format ${p.version}; this page reads formats up to ${SAVE_VERSION}). Reload the page to get the newest podpath.`;
    case 'cluster-refused': {
      const shown = p.issues.slice(0, MAX_ISSUES).map(formatIssue).join('; ');
      const more = p.issues.length > MAX_ISSUES ? ` (and ${p.issues.length - MAX_ISSUES} more)` : '';
      return `Its cluster does not read as a scenario: ${shown}${more}.`;
    }
  }
}
