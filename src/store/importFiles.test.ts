// Several files imported at once (a cluster-info dump directory's files, picked
// together): one cluster, read through restore.ts like any import; a bad file, or
// a save among them, changes nothing and says which file.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, loadIo } from './store.ts';
import { dumpDirectory, dumpLists, kubeadmFlannel } from '../sim/testing/dumps.ts';
import { saveText } from '../sim/scenario/restore.ts';
import { DEMO } from './demo.ts';

const files = Object.entries(dumpDirectory(dumpLists(kubeadmFlannel())))
  .filter(([path]) => path.endsWith('.json'))
  .map(([path, text]) => ({ name: path, text }));

describe('importing several files at once', () => {
  beforeAll(() => loadIo());
  it('a dump directory\'s files become one cluster, with the addresses they hold and what was inferred said', async () => {
    const store = createPlayground();
    expect(await store.getState().importFiles(files)).toBe(true);
    const s = store.getState().scenario;
    expect(s.nodes.map((n) => [n.name, n.internalIP])).toEqual([
      ['cp-1', '192.168.122.10'],
      ['worker-1', '192.168.122.11'],
    ]);
    expect(s.pods.find((p) => p.name === 'web-1')?.podIP).toBe('10.244.1.5');
    expect(s.cluster.cni).toBe('flannel-vxlan');
    const notice = store.getState().notice;
    expect(notice).toMatchObject({ kind: 'hint', near: 'import' });
    expect(notice?.text).toMatch(/^Imported 15 files as one cluster: nodes\.json, default\/events\.json, .* and 11 more\.$/m);
    expect(notice?.text).toContain('no podpath.dev/v1alpha1 Cluster document, so one was inferred');
    // One undo step brings back the cluster there was.
    store.temporal.getState().undo();
    expect(store.getState().scenario.nodes.map((n) => n.name)).toEqual(DEMO.nodes.map((n) => n.name));
  });
  it('a bad file keeps the cluster there was, and the message names the file', async () => {
    const store = createPlayground();
    const before = store.getState().scenario;
    const bad = files.map((f) => (f.name === 'default/pods.json' ? { ...f, text: f.text.replace('"nodeName": "worker-1"', '"nodeName": "worker-9"') } : f));
    expect(await store.getState().importFiles(bad)).toBe(false);
    expect(store.getState().scenario).toBe(before);
    expect(store.getState().notice).toMatchObject({ kind: 'error', near: 'import' });
    expect(store.getState().notice?.text).toMatch(/^default\/pods\.json: Pod\/default\/web-1 spec\.nodeName: node "worker-9" does not exist/);
  });
  it('a playground save opens alone: among other files it is refused, saying so', async () => {
    const store = createPlayground();
    const save = saveText({ scenario: store.getState().scenario, positions: {}, request: null, showReply: false, speed: 1.5 });
    expect(await store.getState().importFiles([files[0], { name: 'podpath-save.json', text: save }])).toBe(false);
    expect(store.getState().notice?.text).toBe('podpath-save.json: is a saved playground, which opens on its own: import it alone, or import the other files without it');
    // Alone, it opens as it always did.
    expect(await store.getState().importFiles([{ name: 'podpath-save.json', text: save }])).toBe(true);
  });
});
