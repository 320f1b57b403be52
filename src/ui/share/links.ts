// Share links on the page: the link a person's Share button gives, and opening one
// (at load, and whenever the fragment changes to another link). Opening goes through
// src/store/share.ts (the one restore function); a lesson is found among the built-in
// ones by name. Once the person edits the linked cluster it is theirs (persist.ts
// saves it): the link leaves the address bar then, so a reload shows their edits
// rather than the link's original.
import type { Lesson } from '../../sim/lesson/types.ts';
import { openShareLink, sharedOf, type LinkOutcome } from '../../store/share.ts';
import { shareFragment, shareFragmentOf } from '../../store/shareLink.ts';
import { lessons, playground } from '../playground.ts';
import { builtinLessons } from '../lessons/catalog.ts';

async function findLesson(name: string): Promise<Lesson | undefined> {
  const list = await builtinLessons();
  if (typeof list === 'string') return undefined;
  for (const entry of list) if ('lesson' in entry && entry.lesson.name === name) return entry.lesson;
  return undefined;
}

/** The link to the playground on screen. */
export async function shareUrl(): Promise<string> {
  const fragment = await shareFragmentOf(sharedOf(playground.getState(), lessons.getState().open));
  return `${location.origin}${location.pathname}${location.search}#${fragment}`;
}

/**
 * Before what the browser saved is opened: when the address holds a link, the page is
 * already not the person's own, so saving does not start by writing the demo (a fresh
 * browser) before the link's cluster arrives. openLinkInAddress then opens it, marked
 * afresh, or (a bad link) the demo, also marked.
 */
export function holdSavingForLink(): void {
  if (shareFragment(location.hash) !== null) playground.setState({ fromLink: { opened: 0 } });
}

/** Open the link in the address bar, if there is one (null: there is none). */
export function openLinkInAddress(): Promise<LinkOutcome> | null {
  const packed = shareFragment(location.hash);
  return packed === null ? null : openShareLink(playground, lessons, packed, findLesson);
}

/** Open links pasted into the address bar later; let the link go from the address bar once the linked cluster is edited. */
export function followLinks(): void {
  window.addEventListener('hashchange', () => void openLinkInAddress());
  playground.subscribe((st, prev) => {
    if (prev.fromLink && !st.fromLink && shareFragment(location.hash) !== null) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  });
}
