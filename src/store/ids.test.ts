// The one id grammar: every id made reads back as what it was made from, and
// nothing else reads as an element or a packet end.
import { describe, expect, it } from 'vitest';
import type { TraceDestination, TraceSource } from '../sim/index.ts';
import {
  asDestination,
  asSource,
  bridgeId,
  elementId,
  elementOfEnd,
  elementOfId,
  endId,
  endOfId,
  EXTERNAL_ID,
  keyParts,
  networkId,
  nicId,
  tunnelId,
  type PacketEnd,
} from './ids.ts';

describe('ids', () => {
  it('an element id reads back as the element', () => {
    expect(elementId('node', 'node-1')).toBe('node:node-1');
    expect(elementId('pod', 'default/web-1')).toBe('pod:default/web-1');
    expect(elementId('service', 'shop/web')).toBe('svc:shop/web');
    for (const el of [
      { kind: 'node', key: 'node-1' },
      { kind: 'pod', key: 'default/web-1' },
      { kind: 'service', key: 'shop/web' },
    ] as const) {
      expect(elementOfId(elementId(el.kind, el.key))).toEqual(el);
    }
  });

  it('a device, the network, the external client and a message place are not elements', () => {
    for (const id of [bridgeId('n1'), nicId('n1'), tunnelId('n1'), networkId(), networkId(2), EXTERNAL_ID, 'palette', 'import', 'cluster', 'ip:10.0.0.1', 'node:', 'pod:web', 'pod:a/b/c', 'svc:/web', 'node:a/b']) {
      expect(elementOfId(id), id).toBeNull();
    }
  });

  it('the node network under row 0 is `network`, the others are numbered', () => {
    expect([0, 1, 3].map(networkId)).toEqual(['network', 'network:1', 'network:3']);
  });

  it("splits a key into namespace and name, and nothing that is not one", () => {
    expect(keyParts('shop/web')).toEqual({ namespace: 'shop', name: 'web' });
    for (const k of ['web', '/web', 'shop/', 'a/b/c']) expect(keyParts(k), k).toBeNull();
  });

  const sources: TraceSource[] = [
    { kind: 'pod', namespace: 'default', name: 'client' },
    { kind: 'deployment', namespace: 'shop', name: 'web' },
    { kind: 'node', name: 'node-2' },
    { kind: 'external' },
  ];
  const destinations: TraceDestination[] = [
    { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 },
    { kind: 'service', namespace: 'shop', name: 'web', port: 80 },
    { kind: 'node', name: 'node-1', port: 30080 },
    { kind: 'ip', ip: '10.96.0.11', port: 80 },
    { kind: 'ip', ip: 'fd00::1', port: 80 },
  ];

  it('a packet source reads back from its id as the same source', () => {
    for (const s of sources) {
      const end = endOfId(endId(s));
      expect(end && asSource(end)).toEqual(s);
    }
  });

  it('a packet destination reads back from its id as the same destination, on the port given', () => {
    for (const d of destinations) {
      const end = endOfId(endId(d));
      expect(end && asDestination(end, d.port)).toEqual(d);
    }
  });

  it('a pod, Service or node end has the id of its element on the canvas (picking there and choosing in the list are one thing)', () => {
    expect(endId(sources[0])).toBe(elementId('pod', 'default/client'));
    expect(endId(destinations[1])).toBe(elementId('service', 'shop/web'));
    expect(endId(destinations[2])).toBe(elementId('node', 'node-1'));
    expect(endId(sources[3])).toBe(EXTERNAL_ID);
    expect(elementOfEnd(destinations[1])).toEqual({ kind: 'service', key: 'shop/web' });
    expect(elementOfEnd(sources[1])).toBeNull(); // a Deployment is not drawn: its pods are
    expect(elementOfEnd(destinations[3])).toBeNull();
  });

  it('a Service is not a source, and a Deployment or the external client is not a destination', () => {
    const svc: PacketEnd = { kind: 'service', namespace: 'default', name: 'web' };
    expect(asSource(svc)).toBeNull();
    expect(asDestination({ kind: 'external' }, 80)).toBeNull();
    expect(asDestination({ kind: 'deployment', namespace: 'default', name: 'web' }, 80)).toBeNull();
  });

  it('devices, the network and unknown prefixes are not packet ends', () => {
    for (const id of [bridgeId('n1'), nicId('n1'), tunnelId('n1'), networkId(), 'veth:default/a', 'pod:a', 'ip:']) expect(endOfId(id), id).toBeNull();
  });
});
