// A CNI plugin bound to a cluster's settings (Calico's pool, Cilium's Helm values) is
// built once per distinct setting: the compile asks for it per node and per pod.
import type { CniPlugin } from './types.ts';

/** A cache of plugins by the settings they were built for; `keyOf` names a setting's every field. */
export function boundPlugins<Config>(keyOf: (c: Config) => string, build: (c: Config) => CniPlugin): (c: Config) => CniPlugin {
  const bound = new Map<string, CniPlugin>();
  return (config) => {
    const key = keyOf(config);
    let p = bound.get(key);
    if (!p) bound.set(key, (p = build(config)));
    return p;
  };
}
