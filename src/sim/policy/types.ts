// Kubernetes NetworkPolicy (networking.k8s.io/v1) as podpath holds it: the API's
// own shape after the API server's defaulting (policyTypes filled in, protocol TCP
// where omitted), so that every reader (the evaluator, felix's chains, the
// playground's form) starts from the same, already-defaulted object.

/** A protocol a NetworkPolicy port may name. SCTP is read and kept, but podpath's datapath carries only TCP and UDP. */
export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface SelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/**
 * metav1.LabelSelector. Unlike a Service's selector, an empty one (`{}`) selects
 * everything: every pod of the namespace, or every namespace.
 */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: SelectorRequirement[];
}

/** networking.k8s.io/v1 IPBlock: a CIDR, less the CIDRs in `except`. */
export interface IpBlock {
  cidr: string;
  except: string[];
}

/**
 * One peer of a rule. Exactly one of: pods (`podSelector` and/or `namespaceSelector`)
 * or an `ipBlock`. A podSelector alone selects pods in the policy's own namespace;
 * a namespaceSelector alone every pod of the namespaces it selects; both, the pods
 * the podSelector selects in those namespaces.
 */
export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IpBlock;
}

/** A port of a rule: by number (with endPort, a range) or by a container port's name, or (port absent) every port of the protocol. */
export interface PolicyPort {
  protocol: PolicyProtocol;
  port?: number | string;
  endPort?: number;
}

/**
 * An ingress or egress rule. `peers` undefined: the field was absent or empty, which
 * matches every peer; `ports` undefined likewise matches every port. A rule matches
 * when a peer matches AND a port matches.
 */
export interface PolicyRule {
  peers?: PolicyPeer[];
  ports?: PolicyPort[];
}

export type PolicyType = 'Ingress' | 'Egress';

export interface NetworkPolicy {
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  /** After defaulting: Ingress always when omitted, Egress when the spec has egress rules. */
  policyTypes: PolicyType[];
  /** Whether the document wrote policyTypes itself (written back as it was). */
  policyTypesGiven: boolean;
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

export const policyKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
