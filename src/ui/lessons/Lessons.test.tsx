// @vitest-environment jsdom
// Lessons as a person plays them: the Lessons button lists the built-in lessons (the
// page's own files, served here from public/), a lesson opens its first step in the
// player, Next / Previous / Reset this step / Leave and PageDown / PageUp move
// through it, and leaving gives back the cluster the person had.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { existsSync, readFileSync } from 'node:fs';
import LessonsButton from './Lessons.tsx';
import LessonPlayer from './LessonPlayer.tsx';
import { forgetCatalog } from './catalog.ts';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { lessons } from '../playground.ts';
import { loadIo } from '../../store/store.ts';

// (Vitest runs from the repository's root; in jsdom import.meta.url is not a file URL.)
const PUBLIC = `${process.cwd()}/public/`;
/** The page's files as the server would give them, with some replaced. */
function serve(replaced: Record<string, string> = {}) {
  vi.stubGlobal('fetch', async (url: string) => {
    const path = String(url).replace(/^\//, '');
    if (path in replaced) return new Response(replaced[path], { status: 200 });
    const file = `${PUBLIC}${path}`;
    return existsSync(file) ? new Response(readFileSync(file, 'utf8'), { status: 200 }) : new Response('', { status: 404 });
  });
}
const button = (name: string | RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement;
const player = () => screen.getByRole('region', { name: 'Lesson' });
const progress = () => screen.getByRole('progressbar', { name: 'Lesson progress' });

function Page() {
  return (
    <>
      <LessonsButton />
      <LessonPlayer />
    </>
  );
}

describe('Lessons', () => {
  freshPlaygroundEachTest();
  beforeEach(async () => {
    forgetCatalog();
    await loadIo();
    // requestAnimationFrame moves focus after React has drawn: run it at once here.
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => (f(0), 0));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('the Lessons button lists every built-in lesson; Escape closes the list and gives the keyboard back', async () => {
    serve();
    const user = userEvent.setup();
    render(<Page />);
    await user.click(button('Lessons'));
    const dialog = await screen.findByRole('dialog', { name: 'Lessons' });
    const list = await within(dialog).findByRole('list', { name: 'Built-in lessons' });
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(8));
    expect(within(list).getAllByRole('button').map((b) => b.querySelector('span')?.textContent)).toEqual([
      'Every pod its own network namespace',
      'IP management',
      'Same host: the bridge',
      'Across hosts: routes or a tunnel',
      'Services: a stable address for pods that come and go',
      'Port mapping: NodePort and hostPort',
      'Choosing a CNI: one packet, every datapath',
      'NetworkPolicy: who may talk, and who enforces it',
    ]);
    await waitFor(() => expect(document.activeElement).toBe(within(list).getAllByRole('button')[0]));
    // Tab goes round the list, never to the page behind it.
    await user.tab({ shift: true });
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Open a lesson file…' }));
    await user.tab();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button('Lessons'));
  });

  it('a lesson plays step by step: narration, progress, Next, Previous, PageDown, PageUp, Reset this step; Leave gives back the cluster the person had', async () => {
    serve();
    const user = userEvent.setup();
    const mine = st().scenario;
    render(<Page />);
    await user.click(button('Lessons'));
    await user.click(await screen.findByRole('button', { name: /^Same host: the bridge/ }));
    await waitFor(() => expect(progress().getAttribute('aria-valuetext')).toBe('Step 1 of 5'));
    expect(player().textContent).toContain('client (10.244.0.2) and web-1 (10.244.0.3) both run on node-1.');
    expect(button('Previous').disabled).toBe(true);
    expect(document.activeElement).toBe(button('Next'));
    // The step's own packet, and its question asked.
    expect(st().request?.to).toEqual({ kind: 'pod', namespace: 'default', name: 'web-1', port: 8080 });
    expect(st().predict?.parts).toEqual(['answer', 'verdict', 'source']);
    await user.click(button('Next'));
    await waitFor(() => expect(progress().getAttribute('aria-valuenow')).toBe('2'));
    expect(player().textContent).toContain("client's routing table says 10.244.0.0/24 is on-link on its eth0");
    expect(st().predict).toBeNull();
    await user.keyboard('{PageDown}');
    await waitFor(() => expect(progress().getAttribute('aria-valuenow')).toBe('3'));
    await user.keyboard('{PageUp}');
    await waitFor(() => expect(progress().getAttribute('aria-valuenow')).toBe('2'));
    // Whatever the person changes, Reset this step opens the step again as the lesson has it.
    act(() => void st().remove('pod', 'default/web-1'));
    expect(st().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-2']);
    await user.click(button('Reset this step'));
    await waitFor(() => expect(st().scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1', 'web-2']));
    expect(st().inLesson).toBe(true);
    await user.click(button('Leave'));
    expect(screen.queryByRole('region', { name: 'Lesson' })).toBeNull();
    expect(st().scenario).toBe(mine);
    expect(st()).toMatchObject({ request: null, predict: null, inLesson: false });
    expect(document.activeElement).toBe(button('Lessons'));
  });

  it('a step that changes the cluster says what changed, from the engine', async () => {
    serve();
    const user = userEvent.setup();
    render(<Page />);
    await user.click(button('Lessons'));
    await user.click(await screen.findByRole('button', { name: /^Services:/ }));
    await waitFor(() => expect(progress().getAttribute('aria-valuenow')).toBe('1'));
    for (let i = 0; i < 4; i++) await user.click(button('Next'));
    await waitFor(() => expect(progress().getAttribute('aria-valuenow')).toBe('5'));
    const changes = within(player()).getByRole('list', { name: 'What this step changed' });
    expect(within(changes).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'deleted pod default/web-45g782kmm6-c5mgg on node-2 (10.244.1.2)',
      'the ReplicaSet of Deployment default/web made pod web-45g782kmm6-smdpz on node-2 (10.244.1.4), to replace it',
    ]);
    expect(st().scenario.pods.map((p) => p.name)).toContain('web-45g782kmm6-smdpz');
    await user.click(button('Next'));
    await waitFor(() => expect(button('Next').disabled).toBe(true));
    expect(player().textContent).toContain('Last step. Leave to go back to your own cluster.');
  });

  it('a lesson file with a problem is listed with it (file, step, field), not offered; one of one\'s own opens from a file', async () => {
    const broken = readFileSync(`${PUBLIC}lessons/03-same-host.yaml`, 'utf8').replace('highlight: [device/node-1/cni0]', 'highlight: [device/node-1/cni9]');
    serve({ 'lessons/index.json': JSON.stringify({ lessons: ['03-same-host.yaml', 'mine.yaml'] }), 'lessons/mine.yaml': broken });
    const user = userEvent.setup();
    render(<Page />);
    await user.click(button('Lessons'));
    const list = await screen.findByRole('list', { name: 'Built-in lessons' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    const item = within(list).getAllByRole('listitem')[1];
    expect(within(item).queryByRole('button')).toBeNull();
    expect(item.textContent).toMatch(/^mine\.yamlmine\.yaml step 3, highlight\[0\]: device\/node-1\/cni9: node node-1 has no device cni9 at this step \(it has lo, eth0, cni0, .*\) \(line \d+\)$/);
    // A lesson file of one's own, read and checked the same way.
    const own = readFileSync(`${PUBLIC}lessons/01-own-netns.yaml`, 'utf8');
    await user.upload(screen.getByLabelText('Lesson file'), new File([own], 'own.yaml', { type: 'text/yaml' }));
    await waitFor(() => expect(progress().getAttribute('aria-valuetext')).toBe('Step 1 of 6'));
    // Where it came from, so that a reload opens it again.
    expect(lessons.getState().origin).toEqual({ kind: 'file', name: 'own.yaml', text: own });
    expect(lessons.getState().open?.lesson.title).toBe('Every pod its own network namespace');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
