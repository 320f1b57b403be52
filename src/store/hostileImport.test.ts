// Issue 10 §2: importing a hostile file into the playground keeps the cluster a
// person had, and says why the file was refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, loadIo } from './store.ts';
import { HOSTILE_INPUTS } from '../sim/testing/hostile.ts';

describe('importing hostile files', () => {
  beforeAll(() => loadIo());
  // The ones refused before their pods are made (the 100,000-replica ones take seconds; the engine's tests cover them).
  const quick = HOSTILE_INPUTS.filter((h) => h.code !== 'pods-do-not-fit');
  for (const h of quick) {
    it(`${h.name}: the cluster is kept and an error notice says why`, async () => {
      const store = createPlayground();
      const before = store.getState().scenario;
      expect(await store.getState().importText(h.text, 'hostile.yaml')).toBe(false);
      expect(store.getState().scenario).toBe(before);
      expect(store.getState().notice).toMatchObject({ kind: 'error', near: 'import' });
      expect(store.getState().notice?.text).toMatch(/^hostile\.yaml: \S/);
    });
  }
});
