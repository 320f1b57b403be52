// @vitest-environment jsdom
// An import's warnings are said folded, in one line with "Show N warnings": the list
// opens and folds by its button (Enter, as a keyboard user presses it), stays until
// closed, and × closes it. Other notices are said whole, as before.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Notice from './Notice.tsx';
import { actions } from '../playground.ts';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { loadIo } from '../../store/store.ts';

const KIND = readFileSync('src/sim/scenario/dumps/kind-cluster-info-dump.txt', 'utf8');

describe('Notice', () => {
  freshPlaygroundEachTest();
  beforeAll(() => loadIo());

  it("a dump's warnings: one line, opened and folded by keyboard, closed by ×", async () => {
    const user = userEvent.setup();
    expect(await actions().importText(KIND, 'kind-cluster-info-dump.txt')).toBe(true);
    const warnings = st().notice!.fold!.warnings;
    expect(warnings.length).toBeGreaterThan(1);
    // The whole message is still the notice's text (what a test or a screen reader of old read).
    expect(st().notice!.text).toBe(warnings.join('\n'));
    render(<Notice />);
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Imported kind-cluster-info-dump.txt.');
    const show = screen.getByRole('button', { name: `Show ${warnings.length} warnings` });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('list', { name: 'Import warnings' })).toBeNull();
    show.focus();
    await user.keyboard('{Enter}');
    const list = screen.getByRole('list', { name: 'Import warnings' });
    expect(screen.getByRole('button', { name: `Hide ${warnings.length} warnings` }).getAttribute('aria-expanded')).toBe('true');
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual(warnings);
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('list', { name: 'Import warnings' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(st().notice).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('a notice with nothing to fold is said whole', () => {
    actions().notify({ kind: 'error', text: 'This browser would not save the playground.' });
    render(<Notice />);
    expect(screen.getByRole('alert').textContent).toContain('This browser would not save the playground.');
    expect(screen.queryByRole('button', { name: /warnings?$/ })).toBeNull();
  });
});
