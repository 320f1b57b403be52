// Names, the way the Kubernetes API server checks them: one rule per kind, used by
// the scenario parser (an imported file) and by the edits (the playground) alike.
// From k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label, IsDNS1123Subdomain,
// IsDNS1035Label, IsValidPortName), .../api/validate/content (IsLabelKey,
// IsLabelValue) and the kinds' validation in pkg/apis/core and pkg/apis/apps.

/** The kinds whose metadata.name podpath reads. */
export type NamedKind = 'Namespace' | 'Node' | 'Pod' | 'Service' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'NetworkPolicy';

type NameRule = 'dns1123Label' | 'dns1123Subdomain' | 'dns1035Label';

/**
 * Which rule the API server applies to each kind's name. A StatefulSet's is a label
 * (its pods' names, NAME-0 …, become their hostnames); it once accepted a subdomain
 * whose pods could then not be created.
 */
const RULE_OF: Record<NamedKind, NameRule> = {
  Namespace: 'dns1123Label',
  Node: 'dns1123Subdomain',
  Pod: 'dns1123Subdomain',
  Service: 'dns1035Label',
  Deployment: 'dns1123Subdomain',
  StatefulSet: 'dns1123Label',
  DaemonSet: 'dns1123Subdomain',
  ReplicaSet: 'dns1123Subdomain',
  NetworkPolicy: 'dns1123Subdomain',
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const RULES: Record<NameRule, { test: (s: string) => boolean; says: string }> = {
  dns1123Label: {
    test: (s) => s.length <= 63 && DNS1123_LABEL.test(s),
    says: "an RFC 1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
  },
  dns1123Subdomain: {
    test: (s) => s.length <= 253 && DNS1123_SUBDOMAIN.test(s),
    says: "an RFC 1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', each part between dots starting and ending with a letter or digit",
  },
  dns1035Label: {
    test: (s) => s.length <= 63 && DNS1035_LABEL.test(s),
    says: "an RFC 1035 label: at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
  },
};

const KIND_WORD: Record<NamedKind, string> = {
  Namespace: 'namespace',
  Node: 'node',
  Pod: 'pod',
  Service: 'Service',
  Deployment: 'Deployment',
  StatefulSet: 'StatefulSet',
  DaemonSet: 'DaemonSet',
  ReplicaSet: 'ReplicaSet',
  NetworkPolicy: 'NetworkPolicy',
};

/** Why this is not a valid name for an object of this kind, or undefined when it is one. */
export function nameProblem(kind: NamedKind, name: string): string | undefined {
  const rule = RULES[RULE_OF[kind]];
  if (rule.test(name)) return undefined;
  return `"${name}" is not a valid name: Kubernetes requires a ${KIND_WORD[kind]} name to be ${rule.says}`;
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  // A file's keys are a handful (app, tier …) on every one of 150,000 pods: each valid one is checked once.
  if (validLabelKeys.has(key)) return true;
  const valid = checkLabelKey(key);
  if (valid && validLabelKeys.size < 10_000) validLabelKeys.add(key);
  return valid;
}
const validLabelKeys = new Set<string>();

function checkLabelKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !RULES.dns1123Subdomain.test(parts[0])) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** A label value: empty, or at most 63 characters like a label key's name. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/** Why these labels (or a selector) are not valid, or undefined when they are. */
export function labelsProblem(labels: Record<string, string>): string | undefined {
  // for…in, not Object.entries: checked for every pod read, without a pair array per label.
  for (const k in labels) {
    const v = labels[k];
    if (!isLabelKey(k)) return `"${k}" is not a valid label key`;
    if (!isLabelValue(v)) return `"${v}" is not a valid label value for "${k}"`;
  }
  return undefined;
}

/**
 * Why this is not a valid port name (a container port's name, or a Service's
 * targetPort given by name), or undefined: an IANA service name, at most 15
 * characters, lowercase letters, digits and '-', with a letter, no '--', no '-' at either end.
 */
export function portNameProblem(name: string): string | undefined {
  if (name.length <= 15 && /^[-a-z0-9]+$/.test(name) && /[a-z]/.test(name) && !name.includes('--') && !name.startsWith('-') && !name.endsWith('-')) return undefined;
  return `"${name}" is not a valid port name: at most 15 lowercase letters, digits and '-', with at least one letter, no '--', and no '-' at either end`;
}

/** Where a Service's port names break Kubernetes' rule, and why. */
export interface ServicePortNameProblem {
  /** The port at fault; absent when it is the ports as a whole. */
  index?: number;
  reason: string;
}

/**
 * A Service's port names: each an RFC 1123 label, no two the same (kube-proxy names
 * its chains after them), and when a Service has more than one port, every port needs one.
 */
export function servicePortNamesProblem(ports: { name?: string }[]): ServicePortNameProblem | undefined {
  const seen = new Set<string>();
  for (const [index, p] of ports.entries()) {
    if (!p.name) continue;
    if (!RULES.dns1123Label.test(p.name)) return { index, reason: `"${p.name}" is not a valid Service port name: Kubernetes requires ${RULES.dns1123Label.says}` };
    if (seen.has(p.name)) return { index, reason: `port name "${p.name}" is used twice in this Service` };
    seen.add(p.name);
  }
  if (ports.length > 1 && ports.some((p) => !p.name)) return { reason: 'when a Service has more than one port, every port needs a name' };
  return undefined;
}
