import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
// Global: the tokens and the reset only; each component imports its own CSS module.
import './ui/tokens.css';
import './ui/reset.css';
import App from './ui/App.tsx';
import { playground } from './ui/playground.ts';
import { openSaved } from './store/persist.ts';
import { followLinks, holdSavingForLink, openLinkInAddress } from './ui/share/links.ts';

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
    // A share link wins over what this browser saved, without saving over it (store/share.ts).
    await openLinkInAddress();
    followLinks();
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
void start();
