// @vitest-environment jsdom
// Calico's encapsulation beside the CNI select: shown only for Calico, it sets the
// IPPool's own fields, and the cluster's nodes get what that pool builds.
import { describe, expect, it } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import CalicoPool from './CalicoPool.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { compile } from '../../sim/index.ts';
import { CNI_MODES } from '../../sim/model.ts';

const calicoMode = CNI_MODES.find((m) => m.startsWith('cal'))!;

describe('CalicoPool', () => {
  freshPlaygroundEachTest();

  it('is not there for a CNI without an IPPool', () => {
    render(<CalicoPool />);
    expect(screen.queryByRole('combobox', { name: 'Calico encapsulation' })).toBeNull();
  });

  it("offers the pool's encapsulations, the default one (IP-in-IP) said to be modelled; choosing VXLAN builds vxlan.calico", async () => {
    const user = userEvent.setup();
    act(() => void st().setCluster({ cni: calicoMode }));
    render(<CalicoPool />);
    const select = screen.getByRole('combobox', { name: 'Calico encapsulation' }) as HTMLSelectElement;
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['BGP, no tunnel', 'VXLAN', 'VXLAN CrossSubnet', 'IPIP (modelled)']);
    expect(select.selectedOptions[0].textContent).toBe('IPIP (modelled)');
    await user.selectOptions(select, 'VXLAN');
    expect(st().scenario.cluster.calico).toMatchObject({ ipipMode: 'Never', vxlanMode: 'Always' });
    const node = st().scenario.nodes[0].name;
    expect(compile(st().scenario).netns(node)!.devices.map((d) => d.name)).toContain('vxlan.calico');
    expect(select.selectedOptions[0].textContent).toBe('VXLAN');
  });
});
