// @vitest-environment jsdom
// Predict, then reveal, as a person uses it in the walkthrough: with Predict on, the
// packet waits for a prediction, then plays with no hop shown ahead of the one on
// screen, and at the end each part is scored against the engine's trace.
import { describe, expect, it } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Walkthrough from '../panels/Walkthrough.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { compile, trace, type TraceRequest } from '../../sim/index.ts';
import { placesCrossed, placeText } from '../../sim/lesson/predict.ts';

const button = (name: string | RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement;
const hopCount = () => within(screen.getByRole('list', { name: 'Hops' })).getAllByRole('listitem').length;
const toService: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' };
function engine(endpoint: number) {
  const r = trace(compile(st().scenario), toService, { endpointIndex: endpoint });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const isPod = (netns: string) => st().scenario.pods.some((p) => `${p.namespace}/${p.name}` === netns);

describe('Predict', () => {
  freshPlaygroundEachTest();

  it('with Predict on the packet waits for a prediction: no hops, no controls, no verdict', async () => {
    const user = userEvent.setup();
    render(<Walkthrough />);
    expect(button('Predict').getAttribute('aria-pressed')).toBe('false');
    await user.click(button('Predict'));
    expect(button('Predict').getAttribute('aria-pressed')).toBe('true');
    act(() => st().send(toService, 1));
    // The prediction form loads when first asked for.
    expect(await screen.findByRole('form', { name: 'Prediction' })).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Hops' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Play' })).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
    // Nothing answered: it says which parts are missing.
    await user.click(button('Lock in prediction'));
    expect(screen.getByRole('alert').textContent).toBe('Answer every part first: who answers, verdict, source address the receiver sees, places the packet crosses.');
    expect(st().guess).toBeNull();
  });

  it('a wrong prediction: the walk reveals hop by hop, never ahead, then says what was missed and why', async () => {
    const user = userEvent.setup();
    act(() => st().setPredict({ parts: ['answer', 'verdict', 'source', 'devices'] }));
    act(() => st().send(toService, 1));
    render(<Walkthrough />);
    const t = engine(1);
    await user.selectOptions(await screen.findByLabelText('Which pod answers?'), 'default/web-1');
    await user.click(screen.getByLabelText('refused'));
    await user.selectOptions(screen.getByLabelText('Which source address does the receiver see?'), '10.96.0.11');
    await user.click(screen.getByLabelText('pod default/client'));
    await user.click(screen.getByLabelText('Service default/web'));
    await user.click(button('Lock in prediction'));
    expect(st().guess).toEqual({ answer: 'default/web-1', verdict: 'refused', source: '10.96.0.11', devices: ['default/client', 'service:default/web'] });
    // Only the hop being played is listed: the future stays hidden.
    expect(hopCount()).toBe(1);
    await user.click(button('Step'));
    await user.click(button('Step'));
    expect(hopCount()).toBe(3);
    expect(screen.queryByRole('status', { name: 'Prediction score' })).toBeNull();
    for (let i = 3; i < t.hops.length; i++) await user.click(button('Step'));
    expect(hopCount()).toBe(t.hops.length);
    const score = await screen.findByRole('status', { name: 'Prediction score' });
    expect(within(score).getByRole('heading').textContent).toBe('Your prediction: 0 of 4 right');
    const items = within(score).getAllByRole('listitem').map((li) => li.textContent ?? '');
    expect(items[0]).toMatch(/^✗Who answers: you said pod default\/web-1; the trace shows pod default\/web-2hop 5 \(node-1 · cni0, dnat\): .*KUBE-SEP-.* kube-proxy picks at random among 2 pods; this walk follows one of them\.$/);
    expect(items[1]).toBe(`✗Verdict: you said refused; the trace shows delivered${t.reason}`);
    expect(items[2]).toMatch(/^✗Source address the receiver sees: you said 10\.96\.0\.11; the trace shows 10\.244\.0\.2no hop rewrote the source/);
    expect(items[3]).toMatch(/Service default\/web is not a device: its ClusterIP is only an address that kube-proxy's rules rewrite/);
  });

  it('a right prediction scores every part right', async () => {
    const user = userEvent.setup();
    act(() => st().setPredict({ ask: 'Who answers?', parts: ['answer', 'source', 'devices'] }));
    act(() => st().send(toService, 0));
    render(<Walkthrough />);
    expect(await screen.findByRole('heading', { name: 'Who answers?' })).toBeTruthy();
    // Only the parts asked.
    expect(screen.queryByText('Delivered, refused or dropped?')).toBeNull();
    const t = engine(0);
    await user.selectOptions(screen.getByLabelText('Which pod answers?'), 'default/web-1');
    await user.selectOptions(screen.getByLabelText('Which source address does the receiver see?'), '10.244.0.2');
    for (const p of placesCrossed(t, isPod)) await user.click(screen.getByLabelText(placeText(p)));
    await user.click(button('Lock in prediction'));
    act(() => st().setStep(t.hops.length - 1));
    const score = await screen.findByRole('status', { name: 'Prediction score' });
    expect(within(score).getByRole('heading').textContent).toBe('Your prediction: 3 of 3 right');
    expect(within(score).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '✓Who answers: right — pod default/web-1',
      '✓Source address the receiver sees: right — 10.244.0.2',
      `✓Places the packet crosses: right — ${placesCrossed(t, isPod).map(placeText).join(', ')}`,
    ]);
  });

  it('a changed cluster or another packet asks again; Predict off plays the whole walk as before', async () => {
    const user = userEvent.setup();
    act(() => st().setPredict({ parts: ['verdict'] }));
    act(() => st().send(toService, 0));
    render(<Walkthrough />);
    await user.click(await screen.findByLabelText('delivered'));
    await user.click(button('Lock in prediction'));
    expect(screen.queryByRole('form', { name: 'Prediction' })).toBeNull();
    act(() => void st().addNode());
    expect(screen.getByRole('form', { name: 'Prediction' })).toBeTruthy();
    expect((screen.getByLabelText('delivered') as HTMLInputElement).checked).toBe(false);
    await user.click(screen.getByLabelText('delivered'));
    await user.click(button('Lock in prediction'));
    act(() => st().send(toService, 1));
    expect(screen.getByRole('form', { name: 'Prediction' })).toBeTruthy();
    await user.click(button('Predict'));
    expect(screen.queryByRole('form', { name: 'Prediction' })).toBeNull();
    expect(hopCount()).toBe(engine(1).hops.length);
  });
});
