/** A big cluster as `kubectl get -A -o json` prints it (see bigcluster.mjs). */
export function bigClusterJson(size?: { nodes?: number; podsPerNode?: number; services?: number }): string;
