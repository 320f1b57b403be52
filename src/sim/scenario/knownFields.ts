// Fields Kubernetes knows, for the kinds podpath reads: a field outside these is a
// typo Kubernetes itself would refuse (kubectl's default field validation is strict
// since 1.27), which podpath would otherwise ignore in silence: `selecter:` for
// `selector:` leaves a Service without a selector, and every trace to it then says
// something true of that Service and false of the one the author meant. The lists
// are the API's field names (k8s.io/api core/v1, apps/v1, as of 1.34); a field added
// later is warned about as unknown, never refused. `status` is not checked: a dump's
// status is the cluster's, written by Kubernetes.
import { serviceTypos, type UnknownField } from './serviceTypos.ts';
export { serviceTypos, type UnknownField };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const OBJECT_META = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];
const TOP = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
const CONTAINER = ['name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'restartPolicyRules', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'];
const CONTAINER_PORT = ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'];
const POD_SPEC = ['volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources', 'hostnameOverride'];
const SERVICE_SPEC = ['ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP', 'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses', 'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution'];
const SERVICE_PORT = ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'];
const WORKLOAD_SPEC: Record<string, string[]> = {
  Deployment: ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'],
  StatefulSet: ['replicas', 'selector', 'template', 'volumeClaimTemplates', 'serviceName', 'podManagementPolicy', 'updateStrategy', 'revisionHistoryLimit', 'minReadySeconds', 'persistentVolumeClaimRetentionPolicy', 'ordinals'],
  DaemonSet: ['selector', 'template', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'],
  ReplicaSet: ['replicas', 'minReadySeconds', 'selector', 'template'],
};
const NODE_SPEC = ['podCIDR', 'podCIDRs', 'providerID', 'unschedulable', 'taints', 'configSource', 'externalID'];

const SELECTOR = ['matchLabels', 'matchExpressions'];
/** networking.k8s.io/v1 NetworkPolicySpec and what it holds. */
function checkNetworkPolicySpec(out: UnknownField[], spec: unknown) {
  check(out, spec, 'spec', ['podSelector', 'policyTypes', 'ingress', 'egress']);
  if (!isObj(spec)) return;
  check(out, spec.podSelector, 'spec.podSelector', SELECTOR);
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    const rules = spec[dir];
    if (!Array.isArray(rules)) continue;
    rules.forEach((r, i) => {
      const at = `spec.${dir}[${i}]`;
      check(out, r, at, [peers, 'ports']);
      if (!isObj(r)) return;
      if (Array.isArray(r.ports)) r.ports.forEach((p, j) => check(out, p, () => `${at}.ports[${j}]`, ['protocol', 'port', 'endPort']));
      if (Array.isArray(r[peers]))
        (r[peers] as unknown[]).forEach((p, j) => {
          const pat = `${at}.${peers}[${j}]`;
          check(out, p, pat, ['podSelector', 'namespaceSelector', 'ipBlock']);
          if (!isObj(p)) return;
          check(out, p.podSelector, `${pat}.podSelector`, SELECTOR);
          check(out, p.namespaceSelector, `${pat}.namespaceSelector`, SELECTOR);
          check(out, p.ipBlock, `${pat}.ipBlock`, ['cidr', 'except']);
        });
    });
  }
}

/** The kinds podpath reads, for "did you mean" on a kind it does not know. */
export const KINDS_READ = ['Namespace', 'Node', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Service', 'Endpoints', 'EndpointSlice', 'NetworkPolicy', 'Cluster'];

/** Edit distance, for short names (a field, a kind). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known name a word is most likely a typo of: the same but for case, or at most two edits (one for short words) away. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const same = known.find((k) => k.toLowerCase() === word.toLowerCase());
  if (same) return same;
  let best: string | undefined;
  let bestDistance = word.length <= 4 ? 1 : 2;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Each list as a Set, made once (a 150,000-pod dump asks for every pod). */
const sets = new Map<readonly string[], Set<string>>();
const setOf = (known: readonly string[]) => {
  let set = sets.get(known);
  if (!set) sets.set(known, (set = new Set(known)));
  return set;
};

/**
 * Where a checked object sits, built into a path only when one of its keys is
 * unknown: a dump of 150,000 pods has none, and spelling a path for every container
 * of every pod cost more than the check.
 */
type Where = string | (() => string);
const pathOf = (where: Where) => (typeof where === 'string' ? where : where());

/** Is some key of this map not in `set`? (Asked before a checked object's path is made.) */
function hasUnknownKey(value: unknown, set: ReadonlySet<string>): boolean {
  if (!isObj(value)) return false;
  for (const key in value) if (!set.has(key)) return true;
  return false;
}

function check(out: UnknownField[], value: unknown, where: Where, known: readonly string[], set = setOf(known)): void {
  if (!isObj(value)) return;
  for (const key in value) {
    if (set.has(key)) continue;
    const path = pathOf(where);
    const guess = nearest(key, known);
    out.push({ path: path ? `${path}.${key}` : key, ...(guess ? { didYouMean: guess } : {}) });
  }
}

const POD_SPEC_SET = setOf(POD_SPEC);
const CONTAINER_SET = setOf(CONTAINER);
const CONTAINER_PORT_SET = setOf(CONTAINER_PORT);

const CONTAINER_LISTS = ['containers', 'initContainers'] as const;

function checkPodSpec(out: UnknownField[], spec: unknown, path: string): void {
  check(out, spec, path, POD_SPEC, POD_SPEC_SET);
  if (!isObj(spec)) return;
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (let i = 0; i < containers.length; i++) {
      const c: unknown = containers[i];
      // The path is spelled only for a map with a key to report (none in a dump's 150,000 pods),
      // in a function of its own: a closure over the loop's i and j here would make a scope
      // object for every container and port, reported or not.
      if (hasUnknownKey(c, CONTAINER_SET)) check(out, c, `${path}.${list}[${i}]`, CONTAINER, CONTAINER_SET);
      if (!isObj(c) || !Array.isArray(c.ports)) continue;
      const ports: unknown[] = c.ports;
      for (let j = 0; j < ports.length; j++) if (hasUnknownKey(ports[j], CONTAINER_PORT_SET)) check(out, ports[j], `${path}.${list}[${i}].ports[${j}]`, CONTAINER_PORT, CONTAINER_PORT_SET);
    }
  }
}

/** The fields of a document of a Kubernetes kind podpath reads that Kubernetes does not know. */
export function unknownFields(kind: string, doc: Obj): UnknownField[] {
  const out: UnknownField[] = [];
  const spec = doc.spec;
  if (kind === 'Pod' || kind === 'Service' || kind === 'Node' || kind === 'NetworkPolicy' || Object.hasOwn(WORKLOAD_SPEC, kind)) {
    check(out, doc, '', TOP);
    check(out, doc.metadata, 'metadata', OBJECT_META);
  }
  if (kind === 'Pod') checkPodSpec(out, spec, 'spec');
  else if (kind === 'Service') {
    check(out, spec, 'spec', SERVICE_SPEC);
    if (isObj(spec) && Array.isArray(spec.ports)) spec.ports.forEach((p, i) => check(out, p, () => `spec.ports[${i}]`, SERVICE_PORT));
  } else if (kind === 'Node') check(out, spec, 'spec', NODE_SPEC);
  else if (kind === 'NetworkPolicy') checkNetworkPolicySpec(out, spec);
  else if (Object.hasOwn(WORKLOAD_SPEC, kind)) {
    check(out, spec, 'spec', WORKLOAD_SPEC[kind]);
    const template = isObj(spec) ? spec.template : undefined;
    check(out, template, 'spec.template', ['metadata', 'spec']);
    if (isObj(template)) {
      check(out, template.metadata, 'spec.template.metadata', OBJECT_META);
      checkPodSpec(out, template.spec, 'spec.template.spec');
    }
  }
  return out;
}
