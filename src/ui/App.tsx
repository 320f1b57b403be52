import { Suspense, useEffect } from 'react';
import { cniOf } from '../sim/cni/index.ts';
import { ReactFlowProvider } from '@xyflow/react';
import Canvas from './canvas/Canvas.tsx';
import Toolbar from './panels/Toolbar.tsx';
import Walkthrough from './panels/Walkthrough.tsx';
import InspectorEmpty from './panels/InspectorEmpty.tsx';
import Notice from './panels/Notice.tsx';
import Keys from './Keys.tsx';
import Player from './Player.tsx';
import ErrorBoundary from './ErrorBoundary.tsx';
import FlowHandle from './FlowHandle.tsx';
import PrintWalk from './share/PrintWalk.tsx';
import SetAside from './share/SetAside.tsx';
import { RecordingBar } from './lessons/Record.tsx';
import { usePresenting } from './presenter/presenter.ts';
import { useBreakpoint, useUpright } from './narrow/breakpoint.ts';
import { onDemand, useWantedOnce, whenIdle } from './later.ts';
import HopAnnouncer from './a11y/HopAnnouncer.tsx';
import styles from './App.module.css';

// Not in the first view: each loads when first wanted, then stays as it always was.
// The Inspector's editor and the netns terminal open on a click on the canvas, which
// frames itself around the terminal at once: they are fetched at idle after the first
// render, so that click finds them there (not part of the first view's JavaScript).
const { Part: Inspector, preload: preloadInspector } = onDemand(() => import('./panels/Inspector.tsx'));
const { Part: NetnsTerminal, preload: preloadTerminal } = onDemand(() => import('./panels/NetnsTerminal.tsx'));
const { Part: SelectorChoice } = onDemand(() => import('./panels/SelectorChoice.tsx'));
// A save the page could not read: its banner loads only then.
const { Part: UnreadableSave } = onDemand(() => import('./panels/UnreadableSave.tsx'));
// Hubble's flows (Cilium's): loads when a Cilium cluster first traces a packet.
const { Part: FlowsPanel } = onDemand(() => import('./panels/FlowsPanel.tsx'));
const { Part: PresenterPanel } = onDemand(() => import('./presenter/PresenterPanel.tsx'));
// The lesson player loads when a lesson opens (main.tsx waits for it when a reload resumes one).
const { Part: LessonPlayer, preload: preloadLessonPlayer } = onDemand(() => import('./lessons/LessonPlayer.tsx'));
export { preloadLessonPlayer };
// A phone's or tablet's sheet: main.tsx waits for it when the page opens narrow, else it loads at idle.
const { Part: Sheet, preload: preloadSheet } = onDemand(() => import('./narrow/Sheet.tsx'));
export { preloadSheet };

const BENCH = typeof location !== 'undefined' && /[?&]bench=/.test(location.search);
import { useLessons, usePlayground } from './playground.ts';

function Hint() {
  const empty = usePlayground((s) => s.scenario.nodes.length === 0);
  const traced = usePlayground((s) => s.request !== null);
  const inLesson = usePlayground((s) => s.inLesson);
  // A tablet's hint is one short line (there is no keyboard to name, and the height is the canvas').
  const narrow = useBreakpoint() !== 'desktop';
  // A lesson says what to do itself.
  if (inLesson) return null;
  return (
    // A landmark of its own: every part of the page is inside one (a screen reader's map of it).
    <aside className={styles.hint} aria-label="Hint">
      {narrow
        ? empty
          ? 'Empty cluster: open Menu to add a Node, then Pods.'
          : traced
            ? 'Tap Step to follow the packet; tap a pod to read its ip route.'
            : 'Tap Send packet to watch a packet walk from pod to pod.'
        : empty
        ? 'Empty cluster: drag Node onto the canvas, then drop Pods onto the node.'
        : traced
          ? 'Step through the hops with ← →, Space to play. Select a pod or node to see its ip route and iptables.'
          : 'Press Send packet to watch a packet walk from pod to pod — or drag Node, Pod and Service in to build your own.'}
    </aside>
  );
}

function LessonPlayerSlot() {
  const wanted = useWantedOnce(useLessons((l) => l.open !== null));
  return wanted ? (
    <Suspense fallback={null}>
      <LessonPlayer />
    </Suspense>
  ) : null;
}

/** The editor loads once something is selected; until then, its "Select a node…" line. */
function InspectorSlot() {
  const selected = usePlayground((s) => s.selection !== null);
  const tracing = usePlayground((s) => s.request !== null);
  const wanted = useWantedOnce(selected);
  if (wanted) {
    return (
      <Suspense fallback={null}>
        <Inspector />
      </Suspense>
    );
  }
  return tracing ? null : <InspectorEmpty />;
}

/** The netns terminal loads once a pod or node is selected (inSheet: in a phone's or tablet's sheet, as tall as its lines). */
function NetnsTerminalSlot({ inSheet = false }: { inSheet?: boolean }) {
  const wanted = useWantedOnce(usePlayground((s) => s.selection !== null && s.selection.kind !== 'service'));
  return wanted ? (
    <Suspense fallback={null}>
      <NetnsTerminal inSheet={inSheet} />
    </Suspense>
  ) : null;
}

/** Hubble runs where Cilium's programs report their trace events. */
const cniRunsHubble = (c: Parameters<typeof cniOf>[0]) => cniOf(c).ebpf?.hubble === true;

/** The Flows panel loads once a cluster whose CNI runs Hubble (Cilium) has traced a packet, and stays. */
function FlowsSlot() {
  const wanted = useWantedOnce(usePlayground((s) => s.request !== null && cniRunsHubble(s.scenario.cluster)));
  return wanted ? (
    <Suspense fallback={null}>
      <FlowsPanel />
    </Suspense>
  ) : null;
}

/** The banner for a save the page could not read loads when there is one. */
function UnreadableSlot() {
  const unreadable = usePlayground((s) => s.unreadable.length > 0);
  return unreadable ? (
    <Suspense fallback={null}>
      <UnreadableSave />
    </Suspense>
  ) : null;
}

/** The choice of a selector loads when a Service is first wired to a pod it does not select. */
function SelectorChoiceSlot() {
  const wanted = useWantedOnce(usePlayground((s) => s.linking !== null));
  return wanted ? (
    <Suspense fallback={null}>
      <SelectorChoice />
    </Suspense>
  ) : null;
}

export default function App() {
  // Presenter mode: the canvas and the walk only (a lesson's narration stays), in large type.
  const presenting = usePresenting();
  // A phone or a tablet: the panels in a sheet (narrow/Sheet.tsx); held upright, the terminal too, under the canvas.
  const narrow = useBreakpoint() !== 'desktop';
  const terminalInSheet = useUpright();
  useEffect(
    () =>
      whenIdle(() => {
        void preloadInspector().catch(() => {});
        void preloadTerminal().catch(() => {});
        void preloadSheet().catch(() => {});
      }),
    [],
  );
  return (
    <ReactFlowProvider>
      <div className={styles.app}>
        {!presenting && <Toolbar />}
        <LessonPlayerSlot />
        <RecordingBar />
        {!presenting && <Hint />}
        <UnreadableSlot />
        <SetAside />
        <main className={presenting ? `${styles.stage} ${styles.presenting}` : narrow ? `${styles.stage} ${styles.narrow}` : styles.stage}>
          <div className={styles.stageCanvas}>
            <ErrorBoundary>
              <Canvas />
            </ErrorBoundary>
            <Notice />
            <SelectorChoiceSlot />
            {!terminalInSheet && (
              <ErrorBoundary>
                <NetnsTerminalSlot />
              </ErrorBoundary>
            )}
          </div>
          {presenting ? (
            <ErrorBoundary>
              <Suspense fallback={null}>
                <PresenterPanel />
              </Suspense>
            </ErrorBoundary>
          ) : narrow ? (
            <Suspense fallback={null}>
              <Sheet
                packet={
                  <ErrorBoundary>
                    <Walkthrough />
                  </ErrorBoundary>
                }
                inspector={
                  <>
                    {terminalInSheet && (
                      <ErrorBoundary>
                        <NetnsTerminalSlot inSheet />
                      </ErrorBoundary>
                    )}
                    <ErrorBoundary>
                      <InspectorSlot />
                    </ErrorBoundary>
                  </>
                }
              />
            </Suspense>
          ) : (
            <aside className={styles.sidebar}>
              <ErrorBoundary>
                <Walkthrough />
              </ErrorBoundary>
              <ErrorBoundary>
                <FlowsSlot />
              </ErrorBoundary>
              <ErrorBoundary>
                <InspectorSlot />
              </ErrorBoundary>
            </aside>
          )}
        </main>
      </div>
      <Keys />
      <HopAnnouncer />
      <Player />
      <PrintWalk />
      {BENCH && <FlowHandle />}
    </ReactFlowProvider>
  );
}
