// What a lesson step points at, as the canvas' ids (no DOM: the mapping only).
import { describe, expect, it } from 'vitest';
import { load, scenarioFile } from '../../sim/testing/helpers.ts';
import { parseRef } from '../../sim/lesson/read.ts';
import type { LessonRef } from '../../sim/lesson/types.ts';
import { highlightIds } from './highlight.ts';
import { vethName } from '../../sim/dataplane/compile.ts';

const refs = (...texts: string[]) => texts.map((t) => parseRef(t) as LessonRef);

describe('lesson highlights on the canvas', () => {
  it('pods, Services, nodes, devices drawn as boxes, the client outside and the node network bars', () => {
    const s = load(scenarioFile('flannel-vxlan.yaml'));
    const ids = highlightIds(s, refs('pod/default/client', 'service/default/web', 'node/node-2', 'device/node-1/cni0', 'device/node-1/eth0', 'device/node-2/flannel.1', 'external', 'node-network'));
    expect([...ids]).toEqual(['pod:default/client', 'svc:default/web', 'node:node-2', 'bridge:node-1', 'nic:node-1', 'tunnel:node-2', 'external', 'network', 'network:1', 'network:2']);
  });
  it("a Deployment is its pods; a pod's host-side veth is the wire from the pod to its node", () => {
    const s = load(scenarioFile('flannel-vxlan.yaml'));
    const client = s.pods.find((p) => p.name === 'client')!;
    const ids = highlightIds(s, refs('deployment/default/web', `device/node-1/${vethName(client)}`));
    expect([...ids]).toEqual(['pod:default/web-45g782kmm6-c5mgg', 'pod:default/web-45g782kmm6-cdgn9', 'veth:default/client']);
  });
});
