// @vitest-environment jsdom
// The search box as a person uses it: type, see the matches, move with the arrows,
// Enter chooses; Esc closes; a name that is not there says so. And the Find bar over
// a big cluster: the pod found is selected and its node expanded.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import FindBox from './FindBox.tsx';
import CanvasFind from './CanvasFind.tsx';
import { findIndex } from './findIndex.ts';
import { benchScenario } from '../bench.ts';
import { bigView } from '../canvas/bigCluster.ts';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';

const s = benchScenario(50, 30);
const index = findIndex(s);
const ip = (name: string) => s.pods.find((p) => p.name === name)!.podIP!;

describe('FindBox', () => {
  afterEach(cleanup);

  it('lists matches as options, moves with the arrow keys and chooses with Enter', async () => {
    const user = userEvent.setup();
    const chosen = vi.fn();
    render(<FindBox label="Find" index={index} kinds={['pod', 'node']} onChoose={chosen} />);
    const box = screen.getByRole('combobox', { name: 'Find' });
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await user.type(box, 'app-12-2');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    const list = screen.getByRole('listbox', { name: 'Find: matches' });
    const options = within(list).getAllByRole('option');
    // app-12-2, then app-12-20 … app-12-29.
    expect(options).toHaveLength(11);
    expect(options[0].textContent).toContain(`podapp-12-2${ip('app-12-2')} on node-12`);
    expect(options[0].getAttribute('aria-selected')).toBe('true');
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0].id);
    expect(screen.getByRole('status').textContent).toContain('11 matches');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}');
    expect(box.getAttribute('aria-activedescendant')).toBe(options[1].id);
    await user.keyboard('{Enter}');
    expect(chosen).toHaveBeenCalledWith(expect.objectContaining({ id: 'pod:default/app-12-20', node: 'node-12' }));
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect((box as HTMLInputElement).value).toBe('app-12-20');
  });

  it('says when nothing matches, and how many more there are than it shows', async () => {
    const user = userEvent.setup();
    render(<FindBox label="Find" index={index} kinds={['pod']} onChoose={() => {}} />);
    const box = screen.getByRole('combobox', { name: 'Find' });
    await user.type(box, 'nginx');
    expect(screen.getByRole('status').textContent).toContain('Nothing here is named “nginx” or has that address.');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await user.clear(box);
    await user.type(box, 'app-');
    expect(screen.getByRole('status').textContent).toContain('12 of 1,500 matches: type more of the name.');
  });

  it('a picker shows its current end; Esc closes the list, then gives back what it showed', async () => {
    const user = userEvent.setup();
    const chosen = vi.fn();
    render(<FindBox label="From" index={index} kinds={['pod']} value="app-1-1 (10.244.0.2)" onChoose={chosen} />);
    const box = screen.getByRole('combobox', { name: 'From' });
    expect((box as HTMLInputElement).value).toBe('app-1-1 (10.244.0.2)');
    await user.click(box);
    await user.keyboard('app-3-3');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{Escape}');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect((box as HTMLInputElement).value).toBe('app-3-3');
    await user.keyboard('{Escape}');
    expect((box as HTMLInputElement).value).toBe('app-1-1 (10.244.0.2)');
    expect(chosen).not.toHaveBeenCalled();
  });
});

describe('the Find bar over a big cluster', () => {
  freshPlaygroundEachTest();

  it('selects the pod found and expands its node, and frames it', async () => {
    const user = userEvent.setup();
    await act(() => st().adoptScenario(s));
    render(<CanvasFind nodes={s.nodes.length} pods={s.pods.length} />);
    expect(screen.getByRole('search').textContent).toContain('50 nodes, 1,500 pods: nodes are drawn collapsed.');
    await user.type(screen.getByRole('combobox', { name: 'Find a pod, node or Service' }), ip('app-40-7'));
    await user.keyboard('{Enter}');
    expect(st().selection).toEqual({ kind: 'pod', key: 'default/app-40-7' });
    expect(bigView.getState().expanded.has('node-40')).toBe(true);
    expect(bigView.getState().focus).toBe('pod:default/app-40-7');
  });
});
