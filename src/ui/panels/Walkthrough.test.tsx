// @vitest-environment jsdom
// The walkthrough as a person uses it: the hops listed are the engine's, the
// controls step and play through them at the chosen speed, the headers show what
// each hop rewrote, and the verdict waits for the end of the walk.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Walkthrough from './Walkthrough.tsx';
import Player from '../Player.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { compile, trace, type Hop, type TraceRequest } from '../../sim/index.ts';

const text = (el: Element) => el.textContent ?? '';
const hops = () => within(screen.getByRole('list', { name: 'Hops' })).getAllByRole('listitem');
const current = () => hops().findIndex((li) => li.getAttribute('aria-current') === 'step');
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const headers = () => screen.getByLabelText('Packet headers');
/** The engine's own walk for the page's cluster: what the list must show. */
function engine(req: TraceRequest) {
  const r = trace(compile(st().scenario), req);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
/** A hop as the list shows it: where | action | why. */
const engineLine = (h: Hop) => `${h.netns === 'node-network' ? 'node network' : `${h.netns} · ${h.device}`}|${h.action}|${h.why}`;
const listedLine = (li: HTMLElement) => ['where', 'action', 'why'].map((part) => li.querySelector(`[data-part="${part}"]`)?.textContent ?? '').join('|');
const toWeb2: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' };
const toService: TraceRequest = { ...toWeb2, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 } };
const send = (req?: TraceRequest) => act(() => st().send(req));

describe('Walkthrough', () => {
  freshPlaygroundEachTest();
  afterEach(() => vi.useRealTimers());

  it('before a packet: says how to send one; after: lists exactly the hops the engine walked, on hop 1, the verdict held back', () => {
    render(<Walkthrough />);
    expect(text(screen.getByRole('region', { name: 'Walkthrough' }))).toContain('Press Send packet');
    send(toWeb2);
    const t = engine(toWeb2);
    expect(hops().map(listedLine)).toEqual(t.hops.map(engineLine));
    expect(current()).toBe(0);
    expect(text(screen.getByRole('region', { name: 'Walkthrough' }))).toContain(`hop 1 of ${t.hops.length}`);
    expect(screen.getByText('The verdict comes at the end of the walk.')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('Step, Back and Restart move through the walk; at the last hop Step stops and the verdict shows', async () => {
    const user = userEvent.setup();
    send(toWeb2);
    render(<Walkthrough />);
    const n = engine(toWeb2).hops.length;
    expect(button('Back').disabled).toBe(true);
    await user.click(button('Step'));
    await user.click(button('Step'));
    expect(current()).toBe(2);
    await user.click(button('Back'));
    expect(current()).toBe(1);
    await user.click(button('Restart'));
    expect(current()).toBe(0);
    for (let i = 1; i < n; i++) await user.click(button('Step'));
    expect(current()).toBe(n - 1);
    expect(button('Step').disabled).toBe(true);
    expect(text(screen.getByRole('status'))).toMatch(/^delivered at default\/web-2: /);
  });

  it('a click on a hop in the list goes to that hop', async () => {
    const user = userEvent.setup();
    send(toWeb2);
    render(<Walkthrough />);
    await user.click(hops()[4]);
    expect(current()).toBe(4);
    expect(st().step).toBe(4);
  });

  it('Play walks one hop per tick at the chosen speed, stops at the end, and from the end starts over', () => {
    vi.useFakeTimers();
    send(toWeb2);
    render(
      <>
        <Walkthrough />
        <Player />
      </>,
    );
    const n = engine(toWeb2).hops.length;
    fireEvent.click(button('Play'));
    expect(button('Pause')).toBeTruthy();
    // normal: 1.5 hops a second.
    act(() => void vi.advanceTimersByTime(660));
    expect(current()).toBe(0);
    act(() => void vi.advanceTimersByTime(10));
    expect(current()).toBe(1);
    // fast: 3 hops a second.
    fireEvent.change(screen.getByLabelText('Speed'), { target: { value: '3' } });
    act(() => void vi.advanceTimersByTime(1000));
    expect(current()).toBe(4);
    act(() => void vi.advanceTimersByTime(60_000));
    expect(current()).toBe(n - 1);
    expect(button('Play')).toBeTruthy(); // stopped by itself
    fireEvent.click(button('Play'));
    expect(current()).toBe(0);
    expect(button('Pause')).toBeTruthy();
    fireEvent.click(button('Pause'));
    act(() => void vi.advanceTimersByTime(5000));
    expect(current()).toBe(0);
  });

  it('at a Service, the DNAT hop shows the destination rewritten, with what it was', () => {
    send(toService);
    render(<Walkthrough />);
    const t = engine(toService);
    const dnat = t.hops.findIndex((h) => h.action === 'dnat');
    expect(dnat).toBeGreaterThan(0);
    act(() => st().setStep(dnat));
    const before = t.hops[dnat - 1].packet.dst;
    const after = t.hops[dnat].packet.dst;
    expect(before).toMatch(/^10\.96\.0\.\d+:80$/);
    const changed = headers().querySelector('[data-rewritten]')!;
    expect(text(changed)).toBe(`${after.split(':')[0]} port ${after.split(':')[1]} (was ${before})`);
  });

  it('a hop that routed the packet shows the TTL it took off, and says so', () => {
    send(toWeb2);
    render(<Walkthrough />);
    const t = engine(toWeb2);
    const routed = t.hops.findIndex((h, i) => i > 0 && h.packet.ttl < t.hops[i - 1].packet.ttl);
    expect(routed).toBeGreaterThan(0); // to another node: routed
    act(() => st().setStep(routed));
    expect(text(headers())).toContain(`ttl${t.hops[routed].packet.ttl} was ${t.hops[routed - 1].packet.ttl}: routed`);
    act(() => st().setStep(routed - 1));
    expect(text(headers())).not.toContain('routed');
  });

  it('with the reply ticked, the walk goes on back to the client; the reply starts fresh (nothing shown as rewritten)', async () => {
    const user = userEvent.setup();
    send(toService);
    render(<Walkthrough />);
    const t = engine(toService);
    await user.click(screen.getByRole('checkbox', { name: 'reply' }));
    expect(hops()).toHaveLength(t.hops.length + t.reply.length);
    act(() => st().setStep(t.hops.length));
    expect(text(screen.getByRole('region', { name: 'Walkthrough' }))).toContain('· reply');
    expect(headers().querySelector('[data-rewritten]')).toBeNull();
    expect(hops().map((li) => li.dataset.leg)).toEqual([...t.hops.map(() => 'request'), ...t.reply.map(() => 'reply')]);
  });

  it('choosing the ends: a pod on its first port, a node on the first NodePort, a Service on its port', async () => {
    const user = userEvent.setup();
    act(() => void st().setServiceType('default/web', 'NodePort'));
    const nodePort = st().scenario.services[0].ports[0].nodePort!;
    render(<Walkthrough />);
    const to = screen.getByLabelText('To') as HTMLSelectElement;
    await user.selectOptions(to, 'node:node-2');
    expect(st().request?.to).toEqual({ kind: 'node', name: 'node-2', port: nodePort });
    await user.selectOptions(to, 'svc:default/web');
    expect(st().request?.to).toEqual({ kind: 'service', namespace: 'default', name: 'web', port: 80 });
    await user.selectOptions(to, 'pod:default/web-1');
    expect(st().request?.to).toEqual({ kind: 'pod', namespace: 'default', name: 'web-1', port: 8080 });
    await user.selectOptions(screen.getByLabelText('From'), 'external');
    expect(st().request?.from).toEqual({ kind: 'external' });
    expect(text(screen.getByRole('list', { name: 'Hops' }))).toContain('external');
  });

  it('a packet read from a save, from a Deployment to an address, is shown as that, not as some other pod', () => {
    playgroundWithDeployment();
    send({ from: { kind: 'deployment', namespace: 'default', name: 'web' }, to: { kind: 'ip', ip: '10.244.1.2', port: 8080 }, proto: 'tcp' });
    render(<Walkthrough />);
    const from = screen.getByLabelText('From') as HTMLSelectElement;
    const to = screen.getByLabelText('To') as HTMLSelectElement;
    expect(from.selectedOptions[0].textContent).toBe('deployment/web');
    expect(to.selectedOptions[0].textContent).toBe('10.244.1.2');
  });

  it('the hop list by keyboard: Tab reaches the current hop, ↓ ↑ End move the walk and the focus with it, Enter chooses a hop', async () => {
    const user = userEvent.setup();
    render(<Walkthrough />);
    send(toWeb2);
    const n = engine(toWeb2).hops.length;
    // One Tab stop in the list: the current hop.
    expect(hops().map((li) => li.tabIndex)).toEqual(hops().map((_, i) => (i === 0 ? 0 : -1)));
    act(() => hops()[0].focus());
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(st().step).toBe(2);
    expect(current()).toBe(2);
    expect(document.activeElement).toBe(hops()[2]);
    await user.keyboard('{ArrowUp}');
    expect(st().step).toBe(1);
    expect(document.activeElement).toBe(hops()[1]);
    await user.keyboard('{End}');
    expect(st().step).toBe(n - 1);
    expect(document.activeElement).toBe(hops()[n - 1]);
    await user.keyboard('{ArrowDown}');
    expect(st().step).toBe(n - 1);
    act(() => hops()[4].focus());
    await user.keyboard('{Enter}');
    expect(st().step).toBe(4);
    expect(hops()[4].getAttribute('aria-current')).toBe('step');
  });

  it('a request the engine refuses shows its reason, and no walk', () => {
    act(() => void st().setSelector('default/web', {}));
    send(toService);
    render(<Walkthrough />);
    expect(text(screen.getByRole('alert'))).toContain('has no selector');
    expect(screen.queryByRole('list', { name: 'Hops' })).toBeNull();
  });
});

/** web-1 and web-2 as the pods of a Deployment named web (as a file with a Deployment gives them). */
function playgroundWithDeployment() {
  const s = st().scenario;
  const pods = s.pods.map((p) => (p.name.startsWith('web-') ? { ...p, ownerKind: 'Deployment' as const, ownerName: 'web' } : p));
  act(() => st().adopt({ scenario: { ...s, pods }, positions: {}, request: null, showReply: false, speed: 1.5 }));
}
