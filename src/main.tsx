import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import App from './ui/App.tsx';
import { playground } from './ui/playground.ts';

async function start() {
  // `?bench=20x50`: the benchmark's big cluster (loaded only then).
  if (/[?&]bench=/.test(location.search)) {
    const { benchScenario, benchSize } = await import('./ui/bench.ts');
    const [n, p] = benchSize(location.search) ?? [20, 50];
    playground.setState({ scenario: benchScenario(n, p), positions: {}, selection: null });
    (window as unknown as { __podpathStore: unknown }).__podpathStore = playground;
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
void start();
