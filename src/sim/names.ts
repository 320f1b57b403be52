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

// Kubernetes' patterns, checked character by character: a dump's 150,000 pod names and
// their label values are each checked once, and a regular expression's call cost twice a loop's.
const lowerAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const anyAlnum = (c: number) => lowerAlnum(c) || (c >= 65 && c <= 90);

/** `[a-z0-9]([-a-z0-9]*[a-z0-9])?` on s[start, end) (an RFC 1123 label, its length aside). */
function dns1123Part(s: string, start: number, end: number): boolean {
  if (end <= start || !lowerAlnum(s.charCodeAt(start)) || !lowerAlnum(s.charCodeAt(end - 1))) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = s.charCodeAt(i);
    if (c !== 45 && !lowerAlnum(c)) return false;
  }
  return true;
}

/** RFC 1123 labels joined by dots. */
function dns1123Parts(s: string): boolean {
  for (let start = 0; ; ) {
    const dot = s.indexOf('.', start);
    if (!dns1123Part(s, start, dot < 0 ? s.length : dot)) return false;
    if (dot < 0) return true;
    start = dot + 1;
  }
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const RULES: Record<NameRule, { test: (s: string) => boolean; says: string }> = {
  dns1123Label: {
    test: (s) => s.length <= 63 && dns1123Part(s, 0, s.length),
    says: "an RFC 1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
  },
  dns1123Subdomain: {
    test: (s) => s.length <= 253 && dns1123Parts(s),
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

/** `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: a label key's name, or a label value. */
function labelName(s: string): boolean {
  const n = s.length;
  if (n === 0 || !anyAlnum(s.charCodeAt(0)) || !anyAlnum(s.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    // '-', '.', '_'
    if (c !== 45 && c !== 46 && c !== 95 && !anyAlnum(c)) return false;
  }
  return true;
}

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
  return name.length <= 63 && labelName(name);
}

/** A label value: empty, or at most 63 characters like a label key's name. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && labelName(value));
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
