// What the downloaded lab script needs beyond the usual tools, or cannot build, for this
// cluster's CNI: said in the hint that follows the download, from the plugin's own answers.
import { cniOf } from '../../sim/cni/index.ts';
import type { ClusterSpec } from '../../sim/model.ts';

export function labCaveat(cluster: ClusterSpec): string {
  const cni = cniOf(cluster);
  const missing = cni.devicesMissingHere?.(cluster);
  if (missing) return ` — but this cluster's \`up\` will refuse: ${missing.said}.`;
  if (cni.routesLearnedByBgp) return ' — and bird2 (apt-get install bird2): real BIRD learns the routes between nodes over BGP.';
  return '';
}
