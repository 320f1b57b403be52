// The places a person can point at when predicting a packet's path: the canvas'
// boxes, named as the engine's trace names them (see src/sim/lesson/predict.ts).
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Scenario } from '../../sim/model.ts';
import { objectKey } from '../../sim/model.ts';
import type { Place } from '../../sim/lesson/predict.ts';
import { dataplaneOf } from '../../store/derived.ts';
import { bridgeId, EXTERNAL_ID, nicId, podId, serviceId, tunnelId } from '../../store/ids.ts';

/** The place a canvas box stands for, or null when it is not one a packet crosses (a node's box, a label). */
export function placeOfId(id: string): Place | null {
  if (id === EXTERNAL_ID) return 'external';
  if (id === 'network' || id.startsWith('network:')) return 'node-network';
  const i = id.indexOf(':');
  if (i < 0) return null;
  const [prefix, rest] = [id.slice(0, i), id.slice(i + 1)];
  if (prefix === 'pod') return rest;
  if (prefix === 'svc') return `service:${rest}`;
  if (prefix === 'bridge') return `${rest}/cni0`;
  if (prefix === 'nic') return `${rest}/eth0`;
  if (prefix === 'tunnel') return `${rest}/flannel.1`;
  return null;
}

/** The canvas id that draws a place (the node network: its first bar). */
export function idOfPlace(p: Place): string {
  if (p === 'external') return EXTERNAL_ID;
  if (p === 'node-network') return 'network';
  if (p.startsWith('service:')) return serviceId(p.slice('service:'.length));
  const [a, b] = p.split('/');
  if (b === 'cni0') return bridgeId(a);
  if (b === 'eth0') return nicId(a);
  if (b === 'flannel.1') return tunnelId(a);
  return podId(p);
}

/** Every place of this cluster a person may pick, in the canvas' order: each node's pods and devices, the node network, the client outside, the Services. */
export function pickablePlaces(s: Scenario): Place[] {
  const dp = dataplaneOf(s);
  const out: Place[] = [];
  for (const n of s.nodes) {
    for (const p of s.pods) if (p.nodeName === n.name) out.push(objectKey(p));
    const devices = new Set(dp.netns(n.name)?.devices.map((d) => d.name));
    for (const d of ['cni0', 'flannel.1', 'eth0']) if (devices.has(d)) out.push(`${n.name}/${d}`);
  }
  out.push('node-network', 'external');
  for (const v of s.services) out.push(`service:${objectKey(v)}`);
  return out;
}

/** The prediction being filled in: the places picked so far, and whether canvas clicks pick them. */
export const predictDraft = createStore<{ devices: Place[]; picking: boolean }>()(() => ({ devices: [], picking: false }));
export const usePredictDraft = <T,>(sel: (s: { devices: Place[]; picking: boolean }) => T) => useStore(predictDraft, sel);

export function togglePlace(p: Place) {
  const { devices } = predictDraft.getState();
  predictDraft.setState({ devices: devices.includes(p) ? devices.filter((d) => d !== p) : [...devices, p] });
}
