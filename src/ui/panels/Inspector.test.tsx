// @vitest-environment jsdom
// The Inspector as a person uses it: fields commit on Enter or when they lose focus,
// Escape throws a draft away, a refused change says why next to the fields and leaves
// the cluster as it was, and what the engine allocates shows up at once.
import { describe, expect, it } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Inspector from './Inspector.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';

const inspector = () => screen.getByRole('region', { name: 'Inspector' });
const text = (el: Element) => el.textContent ?? '';
const value = (el: HTMLElement) => (el as HTMLInputElement).value;
const pod = (name: string) => st().scenario.pods.find((p) => p.name === name);
const select = (kind: 'node' | 'pod' | 'service', key: string) => act(() => st().select({ kind, key }));

describe('Inspector', () => {
  freshPlaygroundEachTest();

  it('asks for a selection when nothing is selected', () => {
    render(<Inspector />);
    expect(text(inspector())).toContain('Select a node, pod or Service');
  });

  it('renames a pod on Enter: the cluster, the heading and the selection follow, and the pod keeps its address', async () => {
    const user = userEvent.setup();
    select('pod', 'default/web-1');
    render(<Inspector />);
    const ip = pod('web-1')!.podIP;
    const name = within(inspector()).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'web-one{Enter}');
    expect(pod('web-1')).toBeUndefined();
    expect(pod('web-one')?.podIP).toBe(ip);
    expect(st().selection).toEqual({ kind: 'pod', key: 'default/web-one' });
    expect(screen.getByRole('heading', { name: 'pod web-one' })).toBeTruthy();
  });

  it('shows why a rename is refused, next to the fields, and changes nothing', async () => {
    const user = userEvent.setup();
    select('node', 'node-1');
    render(<Inspector />);
    const before = st().scenario;
    const name = within(inspector()).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Node_1{Enter}');
    expect(text(within(inspector()).getByRole('alert'))).toContain('"Node_1" is not a valid name');
    expect(st().scenario).toBe(before);
    // Taken by the other node: refused too, with the engine's reason.
    await user.clear(name);
    await user.type(name, 'node-2{Enter}');
    expect(text(within(inspector()).getByRole('alert'))).toContain('a node named node-2 already exists');
    expect(st().scenario.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2']);
  });

  it('Escape throws away a half-typed name; leaving the field commits one', async () => {
    const user = userEvent.setup();
    select('service', 'default/web');
    render(<Inspector />);
    const name = within(inspector()).getByLabelText('Name');
    await user.type(name, '-draft{Escape}');
    expect(value(name)).toBe('web');
    await user.type(name, '-api');
    await user.tab();
    expect(st().scenario.services.map((v) => v.name)).toEqual(['web-api']);
  });

  it('sets labels written as key=value, and refuses text that is not', async () => {
    const user = userEvent.setup();
    select('pod', 'default/client');
    render(<Inspector />);
    const labels = within(inspector()).getByLabelText('Labels');
    await user.clear(labels);
    await user.type(labels, 'app=client, tier=front{Enter}');
    expect(pod('client')?.labels).toEqual({ app: 'client', tier: 'front' });
    await user.clear(labels);
    await user.type(labels, 'app{Enter}');
    expect(text(within(inspector()).getByRole('alert'))).toContain('"app" is not key=value');
    expect(pod('client')?.labels).toEqual({ app: 'client', tier: 'front' });
  });

  it("a pod's ports: added on the next free port, a non-number refused and put back, removed by its button", async () => {
    const user = userEvent.setup();
    select('pod', 'default/web-1');
    render(<Inspector />);
    await user.click(within(inspector()).getByRole('button', { name: 'Add port' }));
    expect(pod('web-1')?.ports.map((p) => p.containerPort)).toEqual([8080, 8081]);
    const second = within(inspector()).getByLabelText('containerPort 2');
    await user.clear(second);
    await user.type(second, '80.5{Enter}');
    expect(text(within(inspector()).getByRole('alert'))).toContain('containerPort 2: "80.5" is not a whole number');
    expect(value(second)).toBe('8081');
    await user.clear(second);
    await user.type(second, '9090{Enter}');
    expect(pod('web-1')?.ports.map((p) => p.containerPort)).toEqual([8080, 9090]);
    await user.click(within(inspector()).getByRole('button', { name: 'Remove port 9090' }));
    expect(pod('web-1')?.ports.map((p) => p.containerPort)).toEqual([8080]);
  });

  it('moves a pod to another node: it gets an address from that node’s podCIDR', async () => {
    const user = userEvent.setup();
    select('pod', 'default/client');
    render(<Inspector />);
    await user.selectOptions(within(inspector()).getByLabelText('Node'), 'node-2');
    expect(pod('client')?.nodeName).toBe('node-2');
    expect(pod('client')?.podIP).toMatch(/^10\.244\.1\./);
    expect(within(inspector()).getByText(pod('client')!.podIP!)).toBeTruthy();
  });

  it('a Service made NodePort shows the nodePort the engine allocated; a second port gets names on both', async () => {
    const user = userEvent.setup();
    select('service', 'default/web');
    render(<Inspector />);
    await user.selectOptions(within(inspector()).getByLabelText('Type'), 'NodePort');
    const nodePort = st().scenario.services[0].ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(value(within(inspector()).getByLabelText('nodePort 1'))).toBe(String(nodePort));
    await user.click(within(inspector()).getByRole('button', { name: 'Add port' }));
    const ports = st().scenario.services[0].ports;
    expect(ports.map((p) => p.port)).toEqual([80, 81]);
    expect(ports.every((p) => p.name)).toBe(true);
  });

  it('a draft does not follow the person to another element, even one with the same labels', async () => {
    const user = userEvent.setup();
    select('pod', 'default/web-1');
    render(<Inspector />);
    await user.type(within(inspector()).getByLabelText('Labels'), ', tier=draft');
    select('pod', 'default/web-2');
    expect(value(within(inspector()).getByLabelText('Labels'))).toBe('app=web');
    expect(pod('web-1')?.labels).toEqual({ app: 'web' }); // nor was it committed
  });

  it('deletes the selected element, and lets go of the selection', async () => {
    const user = userEvent.setup();
    select('pod', 'default/web-2');
    render(<Inspector />);
    await user.click(within(inspector()).getByRole('button', { name: 'Delete pod' }));
    expect(pod('web-2')).toBeUndefined();
    expect(st().selection).toBeNull();
    expect(text(inspector())).toContain('Select a node, pod or Service');
  });
});
