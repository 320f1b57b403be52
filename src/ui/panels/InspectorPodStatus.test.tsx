// @vitest-environment jsdom
// A dump's pod that is no ready endpoint is shown plainly: the Inspector says its
// state, the canvas box says it beside the address (and its accessible name says it).
import { describe, expect, it } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import Inspector from './Inspector.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { layout } from '../canvas/layout.ts';
import { compile } from '../../sim/index.ts';
import { LIVE_CLUSTER } from '../../sim/testing/helpers.ts';

const DUMP = `${LIVE_CLUSTER}---
apiVersion: v1
kind: Pod
metadata: {name: web-pending}
spec: {nodeName: n1, containers: [{name: c, image: x}]}
status: {phase: Pending}
---
apiVersion: v1
kind: Pod
metadata: {name: web-notready}
spec: {nodeName: n1, containers: [{name: c, image: x}]}
status: {phase: Running, podIP: 10.42.0.6, conditions: [{type: Ready, status: "False"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-ok}
spec: {nodeName: n1, containers: [{name: c, image: x}]}
status: {phase: Running, podIP: 10.42.0.7, conditions: [{type: Ready, status: "True"}]}
`;

const inspector = () => screen.getByRole('region', { name: 'Inspector' });
const facts = () => [...within(inspector()).getAllByRole('term')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]);

describe('a pod that is no ready endpoint, shown plainly', () => {
  freshPlaygroundEachTest();

  it('the Inspector says Pending (no address) and not Ready; a Running, Ready pod has no status line', async () => {
    expect(await act(() => st().importText(DUMP, 'dump.yaml'))).toBe(true);
    act(() => st().select({ kind: 'pod', key: 'default/web-pending' }));
    render(<Inspector />);
    expect(facts()).toContainEqual(['podIP', '—']);
    expect(facts()).toContainEqual(['status', 'Pending: no address yet, so no Service sends to it']);
    act(() => st().select({ kind: 'pod', key: 'default/web-notready' }));
    expect(facts()).toContainEqual(['status', 'Running but not Ready: an endpoint with ready: false, so kube-proxy does not send to it']);
    act(() => st().select({ kind: 'pod', key: 'default/web-ok' }));
    expect(facts().map(([term]) => term)).not.toContain('status');
  });

  it('the canvas names each pod with its state', async () => {
    expect(await act(() => st().importText(DUMP, 'dump.yaml'))).toBe(true);
    const s = st().scenario;
    const labels = layout(s, {}, compile(s)).nodes.map((n) => n.ariaLabel).filter((l) => l?.startsWith('pod '));
    expect(labels.sort()).toEqual(['pod web-notready 10.42.0.6 not Ready', 'pod web-ok 10.42.0.7', 'pod web-pending Pending']);
  });
});
