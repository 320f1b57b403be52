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

/** Why a share link could not be opened: the link itself (its encoding, its compression, its size), or the save inside it. */
export type ShareLinkProblem =
  /** The fragment after `#s=` is not base64url (a character a link never holds, or a length no encoding gives). */
  | { code: 'link-not-base64url' }
  /** It decodes, but not as deflate-compressed data: cut short when copied, or changed. */
  | { code: 'link-not-deflate' }
  /** It unpacks to more than a link may hold (a save is a few KB; this refuses a zip bomb). */
  | { code: 'link-too-large'; limitBytes: number }
  /** This browser has no DecompressionStream to unpack it. */
  | { code: 'link-unsupported' }
  | RestoreProblem;

/** What the page says about a link that could not be opened. */
export function describeShareLinkProblem(p: ShareLinkProblem): string {
  switch (p.code) {
    case 'link-not-base64url':
      return 'This share link is damaged: its text after #s= is not the encoding podpath writes (it may have been cut short or changed when it was copied).';
    case 'link-not-deflate':
      return 'This share link is damaged: its data does not unpack (it may have been cut short or changed when it was copied).';
    case 'link-too-large':
      return `This share link unpacks to more than ${Math.round(p.limitBytes / 1024 / 1024)} MB, far more than any podpath playground: it was not opened.`;
    case 'link-unsupported':
      return 'This browser cannot unpack share links (it has no DecompressionStream): open the link in a current Chrome, Firefox or Safari.';
    default:
      return `This share link does not hold a playground podpath can open. ${describeRestoreProblem(p)}`;
  }
}
