// @vitest-environment jsdom
// A big file says it is being read, from before the parse starts until the canvas has
// drawn it; a small one opens without a flash; a failed read does not leave it up.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import ImportProgress from './ImportProgress.tsx';
import { importProgress, withImportProgress, PROGRESS_ABOVE_BYTES } from './importProgress.ts';

describe('import progress', () => {
  afterEach(cleanup);

  it('shows the file and its size while a big file is read, and goes once it is drawn', async () => {
    render(<ImportProgress />);
    let seenDuringWork = '';
    await act(() =>
      withImportProgress({ name: 'cluster-500.json', size: 3.4 * 1024 * 1024 }, async () => {
        // The page has painted the progress before the (blocking) parse starts.
        seenDuringWork = document.body.textContent ?? '';
        return true;
      }),
    );
    expect(seenDuringWork).toContain('Reading cluster-500.json (3.4 MB)…');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(importProgress.getState().importing).toBeNull();
  });

  it('a small file: nothing shown', async () => {
    render(<ImportProgress />);
    let seen = true;
    await act(() =>
      withImportProgress({ name: 'demo.yaml', size: PROGRESS_ABOVE_BYTES }, async () => {
        seen = importProgress.getState().importing !== null;
      }),
    );
    expect(seen).toBe(false);
  });

  it('a read that fails takes the progress away with it', async () => {
    render(<ImportProgress />);
    await expect(
      act(() =>
        withImportProgress({ name: 'big.json', size: 1024 * 1024 }, async () => {
          throw new Error('unreadable');
        }),
      ),
    ).rejects.toThrow('unreadable');
    expect(importProgress.getState().importing).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
  });
});
