import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
// Global: the tokens and the reset only; each component imports its own CSS module.
import './ui/tokens.css';
import './ui/reset.css';
import App, { preloadLessonPlayer, preloadSheet } from './ui/App.tsx';
import { currentBreakpoint } from './ui/narrow/breakpoint.ts';
import { preloadPacketLayer } from './ui/canvas/Canvas.tsx';
import { lessons, playground } from './ui/playground.ts';
// Notes every packet sent from the first one on (the netns terminal's rule counters count them).
import './ui/session/sends.ts';
import { openSaved } from './store/persist.ts';
import { followLinks, holdSavingForLink, openLinkInAddress } from './ui/share/links.ts';
import { keepLessonPlace, LESSON_PLACE_KEY, resumeLesson } from './store/lessonPlace.ts';
import { lessonFrom } from './ui/lessons/catalog.ts';
import { loadIo } from './store/store.ts';
import { loadWalk } from './store/engine.ts';
import { loadEdits } from './store/edits.ts';
import { whenIdle } from './ui/later.ts';
import { preloadSearch } from './ui/search/onDemand.ts';
import { isBigCluster } from './ui/canvas/bigCluster.ts';

async function start() {
  // `?bench=20x50`: the benchmark's big cluster (loaded only then), read by the
  // parser like any other cluster, and not saved over the person's own.
  if (/[?&]bench=/.test(location.search)) {
    const { benchScenario, benchSize } = await import('./ui/bench.ts');
    const [n, p] = benchSize(location.search) ?? [20, 50];
    await playground.getState().adoptScenario(benchScenario(n, p));
    (window as unknown as { __podpathStore: unknown }).__podpathStore = playground;
  } else {
    holdSavingForLink();
    try {
      await openSaved(playground, localStorage, sessionStorage);
    } catch {
      // The storage is switched off, or the reader did not load: what was saved is untouched.
      playground.getState().notify({ kind: 'error', text: 'podpath could not open what this browser saved (its storage or its file reader is not available); nothing was changed. Reload to try again.' });
    }
    // A share link wins over what this browser saved, and over the lesson it was in,
    // without saving over either (store/share.ts); a link may open a lesson itself.
    const linked = openLinkInAddress();
    try {
      if (linked) await linked;
      // A reload during a lesson opens the same lesson at the same step (lessonPlace.ts).
      else if (localStorage.getItem(LESSON_PLACE_KEY) !== null) {
        // Saving the person's own cluster starts first (openSaved starts it once the reader
        // has loaded, and callbacks on one promise run in order): a lesson's cluster is never saved as theirs.
        await loadIo();
        await resumeLesson(lessons, playground, localStorage, lessonFrom);
      }
      keepLessonPlace(lessons, localStorage);
    } catch {
      playground.getState().notify({ kind: 'error', text: 'podpath could not open the lesson you were in again (the lesson reader did not load, or the lessons could not be fetched); your own cluster is open. Reload to try again.' });
    }
    followLinks();
  }
  // The packet walk (and the packet on the canvas) is not in the first view's JavaScript:
  // a packet restored or opened by a link waits for it here, so the first render shows
  // its walk; otherwise it loads at idle, before a person sends one.
  if (playground.getState().request) await Promise.all([loadWalk(), preloadPacketLayer()]).catch(() => {});
  else whenIdle(() => void loadWalk().catch(() => {}));
  // So is the lesson player: a lesson resumed or opened by a link waits for it.
  if (lessons.getState().open) await preloadLessonPlayer().catch(() => {});
  // So is a phone's or tablet's sheet (the panels beside or under the canvas).
  if (currentBreakpoint() !== 'desktop') await preloadSheet().catch(() => {});
  // So is a big cluster's search (its bar above the canvas): otherwise it loads at idle.
  const { nodes, pods } = playground.getState().scenario;
  if (isBigCluster(nodes.length, pods.length)) await preloadSearch().catch(() => {});
  else whenIdle(() => void preloadSearch().catch(() => {}));
  // The cluster's edits are not in the first view either: fetched now, beside the first
  // render (an edit asked for before they arrive is done when they do, store/edits.ts).
  void loadEdits().catch(() => {});
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
void start();
