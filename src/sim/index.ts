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
export { neighText, fdbListings, conntrackText, type FdbListing } from './trace/remembered.ts';

import { allocate } from './ipam/index.ts';
import { parseScenario, type ParseOptions } from './scenario/parse.ts';
import { fail, type Result } from './errors.ts';
import type { Scenario } from './model.ts';

/**
 * Read a scenario file and give every node, pod and Service its addresses. Its
 * warnings are the sentences a person reads (the CLI prints them, the playground
 * shows them); `parseScenario` gives them with their codes.
 */
export function loadScenario(text: string, source = 'file', options: ParseOptions = {}): Result<Scenario> {
  const parsed = parseScenario(text, source, options);
  const said = parsed.warnings.map((w) => w.message);
  if (!parsed.ok) return fail(parsed.issues, said);
  const allocated = allocate(parsed.value);
  if (allocated.ok) return { ...allocated, warnings: [...said, ...allocated.warnings] };
  // A real cluster's dump without a Cluster document: its addresses fall outside the
  // default ranges. Say what would fix it rather than leave only the symptoms.
  const noCluster = parsed.warnings.some((w) => w.code === 'cluster-document-missing');
  const outside = allocated.issues.some((i) => i.code === 'outside-cluster-range');
  if (noCluster && outside) {
    const c = parsed.value.cluster;
    allocated.issues.push({
      code: 'cluster-document-missing',
      document: 'Cluster',
      field: '',
      reason: `this file has no podpath.dev/v1alpha1 Cluster document, so the defaults apply (nodeNetwork ${c.nodeNetwork}, podCIDR ${c.podCIDR}, serviceCIDR ${c.serviceCIDR}); add one with this cluster's own ranges`,
    });
  }
  return { ...allocated, warnings: said };
}
