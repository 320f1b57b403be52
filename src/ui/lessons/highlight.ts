// What a lesson step points at, as the canvas' ids: the boxes (and veth wires) to
// highlight. A lesson names things as the engine does (pod/NS/NAME, device/NODE/cni0);
// the canvas draws them under the ids of store/ids.ts.
import { useMemo } from 'react';
import type { Scenario } from '../../sim/model.ts';
import { objectKey } from '../../sim/model.ts';
import type { LessonRef } from '../../sim/lesson/types.ts';
import { dataplaneOf } from '../../store/derived.ts';
import { bridgeId, EXTERNAL_ID, networkId, nicId, nodeId, podId, serviceId, tunnelId, vethEdgeId } from '../../store/ids.ts';
import { useLessons, usePlayground } from '../playground.ts';

/** The devices drawn as boxes inside a node, by the name the kernel gives them. */
const DEVICE_BOX: Record<string, (node: string) => string> = { cni0: bridgeId, eth0: nicId, 'flannel.1': tunnelId };

export function highlightIds(s: Scenario, refs: readonly LessonRef[]): Set<string> {
  const ids = new Set<string>();
  for (const r of refs) {
    switch (r.kind) {
      case 'pod':
        ids.add(podId(objectKey(r)));
        break;
      case 'service':
        ids.add(serviceId(objectKey(r)));
        break;
      case 'deployment':
        for (const p of s.pods) if (p.namespace === r.namespace && p.ownerKind === 'Deployment' && p.ownerName === r.name) ids.add(podId(objectKey(p)));
        break;
      case 'node':
        ids.add(nodeId(r.name));
        break;
      case 'external':
        ids.add(EXTERNAL_ID);
        break;
      case 'node-network':
        // One bar per row of nodes; every row's.
        for (let row = 0; row <= s.nodes.length; row++) ids.add(networkId(row));
        break;
      case 'device': {
        const box = DEVICE_BOX[r.device];
        if (box) {
          ids.add(box(r.node));
          break;
        }
        // A pod's host-side veth is drawn as the wire from the pod to its node.
        const peer = dataplaneOf(s).netns(r.node)?.devices.find((d) => d.name === r.device)?.peer;
        if (peer) ids.add(vethEdgeId(peer.netns));
        break;
      }
    }
  }
  return ids;
}

const NONE: readonly LessonRef[] = [];
const EMPTY = new Set<string>();

/** The canvas ids the current lesson step highlights (none in free play). */
export function useLessonHighlights(): Set<string> {
  const refs = useLessons((l) => (l.open ? l.open.lesson.steps[l.open.step].highlight : NONE));
  const scenario = usePlayground((s) => s.scenario);
  return useMemo(() => (refs.length ? highlightIds(scenario, refs) : EMPTY), [refs, scenario]);
}
