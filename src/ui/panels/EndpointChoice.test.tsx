// @vitest-environment jsdom
// Choosing kube-proxy's endpoint in the walkthrough: the choices are the trace's
// candidates by pod name and IP, and choosing one changes the walk from the DNAT on.
import { describe, expect, it } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Walkthrough from './Walkthrough.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { selectTrace } from '../../store/derived.ts';
import type { TraceRequest } from '../../sim/index.ts';

const toService: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' };
const answered = () => {
  const t = selectTrace(st());
  return t?.kind === 'traced' ? t.trace.endpoint : undefined;
};
const ip = (name: string) => st().scenario.pods.find((p) => p.name === name)?.podIP;

describe('EndpointChoice', () => {
  freshPlaygroundEachTest();

  it('lists the Service endpoints by pod name and IP; choosing one keeps the step and walks to that pod', async () => {
    const user = userEvent.setup();
    act(() => st().send(toService));
    act(() => st().setStep(3));
    render(<Walkthrough />);
    const pick = screen.getByRole('combobox', { name: 'kube-proxy picks' }) as HTMLSelectElement;
    expect(within(pick).getAllByRole('option').map((o) => o.textContent)).toEqual([`web-1 ${ip('web-1')}`, `web-2 ${ip('web-2')}`]);
    expect(answered()).toBe('default/web-1');
    await user.selectOptions(pick, `web-2 ${ip('web-2')}`);
    expect(st().endpoint).toBe(1);
    expect(st().step).toBe(3);
    expect(answered()).toBe('default/web-2');
    const last = within(screen.getByRole('list', { name: 'Hops' })).getAllByRole('listitem').at(-1)!;
    expect(last.textContent).toContain('default/web-2');
  });

  it('a NodePort from the external client: choosing the pod on the other node shows the walk crossing to it, without moving a pod', async () => {
    const user = userEvent.setup();
    act(() => void st().setServiceType('default/web', 'NodePort'));
    const nodePort = st().scenario.services.find((v) => v.name === 'web')!.ports[0].nodePort!;
    act(() => st().send({ from: { kind: 'external' }, to: { kind: 'node', name: 'node-1', port: nodePort }, proto: 'tcp' }));
    render(<Walkthrough />);
    const where = () => within(screen.getByRole('list', { name: 'Hops' })).getAllByRole('listitem').map((li) => li.querySelector('[data-part="where"]')?.textContent ?? '');
    expect(answered()).toBe('default/web-1');
    expect(where().some((w) => w.startsWith('node-2'))).toBe(false);
    await user.selectOptions(screen.getByRole('combobox', { name: 'kube-proxy picks' }), `web-2 ${ip('web-2')}`);
    expect(answered()).toBe('default/web-2');
    expect(where().some((w) => w.startsWith('node-2'))).toBe(true);
    expect(st().scenario.pods.map((p) => p.nodeName)).toEqual(['node-1', 'node-1', 'node-2']);
  });

  it('is not offered for a packet to a pod (one endpoint), nor while a prediction is awaited', () => {
    act(() => st().send({ ...toService, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 } }));
    const { unmount } = render(<Walkthrough />);
    expect(screen.queryByRole('combobox', { name: 'kube-proxy picks' })).toBeNull();
    unmount();
    act(() => st().send(toService));
    act(() => st().setPredict({ parts: ['answer'] }));
    render(<Walkthrough />);
    expect(screen.queryByRole('combobox', { name: 'kube-proxy picks' })).toBeNull();
  });
  it("says who picks: under Cilium without socket-LB the pod's own program (cil_from_container), with it socket-LB", () => {
    act(() => void st().setCluster({ cni: 'cilium' }));
    act(() => st().send(toService));
    const { unmount } = render(<Walkthrough />);
    expect(screen.getByRole('combobox', { name: 'cil_from_container picks' })).toBeTruthy();
    unmount();
    act(() => void st().setCluster({ cilium: { kubeProxyReplacement: true } }));
    render(<Walkthrough />);
    expect(screen.getByRole('combobox', { name: 'socket-LB picks' })).toBeTruthy();
  });
});
