// podpath lab: the scenario as a bash script that builds it in real network
// namespaces with the real CNI plugins, and probes it with real connections.
import type { Scenario } from '../model.ts';
import { compile } from '../dataplane/compile.ts';
import { labPlan, type LabDataplane, type LabOptions } from './plan.ts';
import { renderLabScript } from './script.ts';

export { labPlan, type LabPlan, type LabProbe, type LabDataplane, type LabOptions } from './plan.ts';
export { renderLabScript, shellQuote } from './script.ts';
export { LISTENER_PY, PROBER_PY } from './python.ts';

/** The lab script (`up` / `down` / `probe`) for an allocated scenario (from loadScenario). */
export function labScript(s: Scenario, opts: { prefix?: string; source?: string } = {}): string {
  return labScriptFor(compile(s), opts);
}

/** The lab script for an already compiled dataplane (kube-proxy's rules come from it). */
export function labScriptFor(dp: LabDataplane, opts: LabOptions = {}): string {
  return renderLabScript(labPlan(dp, opts));
}
