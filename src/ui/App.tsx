import { ReactFlowProvider } from '@xyflow/react';
import Canvas from './canvas/Canvas.tsx';
import Toolbar from './panels/Toolbar.tsx';
import Walkthrough from './panels/Walkthrough.tsx';
import Inspector from './panels/Inspector.tsx';
import NetnsTerminal from './panels/NetnsTerminal.tsx';
import Notice from './panels/Notice.tsx';
import UnreadableSave from './panels/UnreadableSave.tsx';
import SelectorChoice from './panels/SelectorChoice.tsx';
import Keys from './Keys.tsx';
import Player from './Player.tsx';
import ErrorBoundary from './ErrorBoundary.tsx';
import FlowHandle from './FlowHandle.tsx';
import LessonPlayer from './lessons/LessonPlayer.tsx';
import PrintWalk from './share/PrintWalk.tsx';
import SetAside from './share/SetAside.tsx';
import { RecordingBar } from './lessons/Record.tsx';
import PresenterPanel from './presenter/PresenterPanel.tsx';
import { usePresenting } from './presenter/presenter.ts';
import styles from './App.module.css';

const BENCH = typeof location !== 'undefined' && /[?&]bench=/.test(location.search);
import { usePlayground } from './playground.ts';

function Hint() {
  const empty = usePlayground((s) => s.scenario.nodes.length === 0);
  const traced = usePlayground((s) => s.request !== null);
  const inLesson = usePlayground((s) => s.inLesson);
  // A lesson says what to do itself.
  if (inLesson) return null;
  return (
    <p className={styles.hint} role="note" aria-label="Hint">
      {empty
        ? 'Empty cluster: drag Node onto the canvas, then drop Pods onto the node.'
        : traced
          ? 'Step through the hops with ← →, Space to play. Select a pod or node to see its ip route and iptables.'
          : 'Press Send packet to watch a packet walk from pod to pod — or drag Node, Pod and Service in to build your own.'}
    </p>
  );
}

export default function App() {
  // Presenter mode: the canvas and the walk only (a lesson's narration stays), in large type.
  const presenting = usePresenting();
  return (
    <ReactFlowProvider>
      <div className={styles.app}>
        {!presenting && <Toolbar />}
        <LessonPlayer />
        <RecordingBar />
        {!presenting && <Hint />}
        <UnreadableSave />
        <SetAside />
        <main className={presenting ? `${styles.stage} ${styles.presenting}` : styles.stage}>
          <div className={styles.stageCanvas}>
            <ErrorBoundary>
              <Canvas />
            </ErrorBoundary>
            <Notice />
            <SelectorChoice />
            <ErrorBoundary>
              <NetnsTerminal />
            </ErrorBoundary>
          </div>
          {presenting ? (
            <ErrorBoundary>
              <PresenterPanel />
            </ErrorBoundary>
          ) : (
            <aside className={styles.sidebar}>
              <ErrorBoundary>
                <Walkthrough />
              </ErrorBoundary>
              <ErrorBoundary>
                <Inspector />
              </ErrorBoundary>
            </aside>
          )}
        </main>
      </div>
      <Keys />
      <Player />
      <PrintWalk />
      {BENCH && <FlowHandle />}
    </ReactFlowProvider>
  );
}
