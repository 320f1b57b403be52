// podpath's engine: the public surface. Pure TypeScript: no React, no DOM, no Node APIs.
export * from './model.ts';
export * from './errors.ts';
export { parseScenario, type ParseOptions } from './scenario/parse.ts';
export { writeScenario } from './scenario/write.ts';
export { allocate, externalClientIP, bridgeGateway, servicesWithKubernetes, NODE_PORT_MIN, NODE_PORT_MAX } from './ipam/index.ts';
export { compile, EXTERNAL, NODE_NETWORK, FLANNEL_DEVICE, vethName, type Dataplane } from './dataplane/compile.ts';
export { endpointsOf, servicePortName } from './dataplane/endpoints.ts';
export { show, routeText, type ShownNetns } from './dataplane/show.ts';
export type * from './dataplane/types.ts';
export { trace, parseSource, parseDestination, CLIENT_PORT, type TraceOptions } from './trace/index.ts';
export type * from './trace/types.ts';

import { allocate } from './ipam/index.ts';
import { parseScenario, type ParseOptions } from './scenario/parse.ts';
import type { Result } from './errors.ts';
import type { Scenario } from './model.ts';

/** Read a scenario file and give every node, pod and Service its addresses. */
export function loadScenario(text: string, source = 'file', options: ParseOptions = {}): Result<Scenario> {
  const parsed = parseScenario(text, source, options);
  if (!parsed.ok) return parsed;
  const allocated = allocate(parsed.value);
  if (allocated.ok) return { ...allocated, warnings: [...parsed.warnings, ...allocated.warnings] };
  // A real cluster's dump without a Cluster document: its addresses fall outside the
  // default ranges. Say what would fix it rather than leave only the symptoms.
  const noCluster = parsed.warnings.some((w) => w.startsWith('no podpath.dev/v1alpha1 Cluster document'));
  const outside = allocated.issues.some((i) => / is outside (the node network|the cluster podCIDR|the serviceCIDR)/.test(i.reason));
  if (noCluster && outside) {
    const c = parsed.value.cluster;
    allocated.issues.push({
      document: 'Cluster',
      field: '',
      reason: `this file has no podpath.dev/v1alpha1 Cluster document, so the defaults apply (nodeNetwork ${c.nodeNetwork}, podCIDR ${c.podCIDR}, serviceCIDR ${c.serviceCIDR}); add one with this cluster's own ranges`,
    });
  }
  return { ...allocated, warnings: parsed.warnings };
}
