// @vitest-environment jsdom
// The packet box shows the frame's MACs where the packet is on a wire (the engine's,
// hop by hop), and says there is no frame inside an IP stack.
import { describe, expect, it } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import Walkthrough from './Walkthrough.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { compile, trace, type TraceRequest } from '../../sim/index.ts';

const toService: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' };

describe('the Ethernet header in the packet box', () => {
  freshPlaygroundEachTest();

  it('follows the engine: the MACs on each wire, none while the packet is routed', () => {
    act(() => st().send(toService));
    const r = trace(compile(st().scenario), toService);
    if (!r.ok) throw new Error('the demo should trace');
    const hops = r.value.hops;
    render(<Walkthrough />);
    const onWire = hops.map((h, i) => [h, i] as const).filter(([h]) => h.packet.eth);
    expect(onWire.length).toBeGreaterThan(2);
    // Sent by the client, then carried across the node: different MACs on different wires.
    expect(new Set(onWire.map(([h]) => `${h.packet.eth!.src}>${h.packet.eth!.dst}`)).size).toBeGreaterThan(1);
    for (const [h, i] of onWire) {
      act(() => st().setStep(i));
      const eth = within(screen.getByLabelText('Packet headers')).getByRole('group', { name: 'Ethernet header' });
      expect(eth.textContent).toBe(`Ethernetsrc${h.packet.eth!.src}dst${h.packet.eth!.dst}`);
    }
    const routed = hops.findIndex((h) => h.action === 'route' && !h.packet.eth);
    act(() => st().setStep(routed));
    expect(within(screen.getByLabelText('Packet headers')).queryByRole('group', { name: 'Ethernet header' })).toBeNull();
    expect(screen.getByLabelText('Packet headers').textContent).toContain('No Ethernet frame here: the packet is inside an IP stack.');
  });
});
