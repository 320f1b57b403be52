// podpath's engine: the public surface. Pure TypeScript: no React, no DOM, no Node APIs.
export * from './model.ts';
export * from './errors.ts';
export { parseScenario, parseScenarioFiles, type ParseOptions } from './scenario/parse.ts';
export type { ScenarioFile } from './scenario/dumpLayout.ts';
export { writeScenario } from './scenario/write.ts';
export { allocate, externalClientIP, bridgeGateway, servicesWithKubernetes, NODE_PORT_MIN, NODE_PORT_MAX } from './ipam/index.ts';
export { compile, EXTERNAL, NODE_NETWORK, vethName, type Dataplane } from './dataplane/compile.ts';
export { FLANNEL_DEVICE } from './cni/index.ts';
export { endpointsOf, servicePortName } from './dataplane/endpoints.ts';
export { show, routeText, type ShownNetns } from './dataplane/show.ts';
export type * from './dataplane/types.ts';
export { trace, parseSource, parseDestination, CLIENT_PORT, type TraceOptions } from './trace/index.ts';
export type * from './trace/types.ts';
export { VERDICTS, VERDICT_WORDS } from './trace/types.ts';
export { neighText, fdbListings, conntrackText, type FdbListing } from './trace/remembered.ts';

import { allocate } from './ipam/index.ts';
import { parseScenarioFiles, type ParseOptions } from './scenario/parse.ts';
import { documentFiles, inItsFile, type ScenarioFile } from './scenario/dumpLayout.ts';
import { cniMasqueradeUnseen, leftOutPods, nodeGatewayAssumed } from './scenario/leftOut.ts';
import { fail, type Result } from './errors.ts';
import type { Scenario } from './model.ts';

/**
 * Read a scenario file and give every node, pod and Service its addresses. Its
 * warnings are the sentences a person reads (the CLI prints them, the playground
 * shows them); `parseScenario` gives them with their codes.
 */
export function loadScenario(text: string, source = 'file', options: ParseOptions = {}): Result<Scenario> {
  return loadScenarioFiles([{ name: source, text }], options);
}

/** Several files (a dump directory, several files imported at once) read as one scenario, then given their addresses. */
export function loadScenarioFiles(files: ScenarioFile[], options: ParseOptions = {}): Result<Scenario> {
  const parsed = parseScenarioFiles(files, options);
  const said = parsed.warnings.map((w) => w.message);
  if (!parsed.ok) return fail(parsed.issues, said);
  const fileOf = documentFiles.get(parsed.value);
  // In place: the scenario was just read, and nothing else holds it.
  const allocated = allocate(parsed.value, { inPlace: true });
  // Without a Cluster document the ranges are inferred to hold every node, podCIDR and
  // ClusterIP address the input has (inferCluster.ts): none can fall outside them.
  if (allocated.ok) {
    const leftOut = leftOutPods.get(parsed.value);
    if (leftOut) leftOutPods.set(allocated.value, leftOut);
    if (cniMasqueradeUnseen.has(parsed.value)) cniMasqueradeUnseen.add(allocated.value);
    if (nodeGatewayAssumed.has(parsed.value)) nodeGatewayAssumed.add(allocated.value);
    return { ...allocated, warnings: [...said, ...allocated.warnings] };
  }
  return { ...allocated, issues: fileOf ? allocated.issues.map((i) => inItsFile(i, fileOf)) : allocated.issues, warnings: said };
}
