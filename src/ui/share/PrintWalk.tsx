// The printout: no bars or panels, the cluster's picture with the packet's path, then
// every hop of the walk in full (where, what, why, the headers and TTL after it, the
// rule that matched) and the verdict, one hop never split across pages. Drawn only
// while printing (the browser's print, or print media), not at every change.
import { useEffect, useState, useSyncExternalStore, type ComponentType } from 'react';
import { createPortal, flushSync } from 'react-dom';
import { whenIdle } from '../later.ts';
// The print rules that hide the page's bars and panels are in the first view's CSS.
import './PrintWalk.module.css';

// The printout and its picture builder load at idle after the first render (and on
// beforeprint, should a person print sooner), so Ctrl+P finds them already there.
let Printout: ComponentType | null = null;
let loading: Promise<void> | null = null;
export function loadPrintout(): Promise<void> {
  return (loading ??= import('./Printout.tsx').then((m) => {
    Printout = m.default;
  }));
}

const printMedia = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('print') : null;

/** Printing: print media (also as a test emulates it), or between the browser's beforeprint and afterprint. */
function usePrinting(): boolean {
  const media = useSyncExternalStore(
    (on) => {
      printMedia?.addEventListener('change', on);
      return () => printMedia?.removeEventListener('change', on);
    },
    () => printMedia?.matches ?? false,
  );
  const [asked, setAsked] = useState(false);
  useEffect(() => {
    // The browser lays the printout out right after beforeprint: render it synchronously.
    const before = () => {
      void loadPrintout();
      flushSync(() => setAsked(true));
    };
    const after = () => setAsked(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  return media || asked;
}

export default function PrintWalk() {
  const printing = usePrinting();
  const [loaded, setLoaded] = useState(Printout !== null);
  useEffect(() => {
    if (loaded) return;
    let live = true;
    const load = () => void loadPrintout().then(() => live && setLoaded(true));
    const cancel = whenIdle(load);
    // Printing before the idle load: fetch it now (it renders once it has loaded).
    window.addEventListener('beforeprint', load);
    printMedia?.addEventListener('change', load);
    return () => {
      live = false;
      cancel();
      window.removeEventListener('beforeprint', load);
      printMedia?.removeEventListener('change', load);
    };
  }, [loaded]);
  return printing && loaded && Printout ? createPortal(<Printout />, document.body) : null;
}
