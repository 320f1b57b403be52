// @vitest-environment jsdom
// Import takes several files at once (a cluster-info dump directory's, picked
// together): the file input allows it, and the files become one cluster.
import { beforeAll, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Toolbar from './Toolbar.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { loadIo } from '../../store/store.ts';
import { dumpDirectory, dumpLists, kubeadmFlannel } from '../../sim/testing/dumps.ts';

describe('Import, several files at once', () => {
  freshPlaygroundEachTest();
  beforeAll(() => loadIo());

  it('the file input takes several files, and a dump directory\'s files open as one cluster', async () => {
    const user = userEvent.setup();
    render(<Toolbar />);
    const input = screen.getByLabelText<HTMLInputElement>('Scenario file');
    expect(input.multiple).toBe(true);
    const files = Object.entries(dumpDirectory(dumpLists(kubeadmFlannel())))
      .filter(([path]) => path === 'nodes.json' || path.endsWith('/pods.json') || path.endsWith('/services.json'))
      .map(([path, text]) => new File([text], path.replace('/', '-'), { type: 'application/json' }));
    await user.upload(input, files);
    await waitFor(() => expect(st().scenario.nodes.map((n) => n.name)).toEqual(['cp-1', 'worker-1']));
    expect(st().scenario.pods.map((p) => p.name)).toEqual(['web-1', 'coredns-7c65d6cfc9-x2bqf']);
    expect(st().notice?.text).toMatch(/^Imported 5 files as one cluster: nodes\.json, default-services\.json, default-pods\.json, kube-system-services\.json and 1 more\.$/m);
    // The input is emptied, so the same files can be picked again.
    expect(input.value).toBe('');
  });
});
