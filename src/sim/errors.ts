// Every error a person can cause, as a value: which document, which field, why.
// The CLI prints it and exits 2; the playground shows it next to what caused it.

interface IssueFields {
  /** `Kind/namespace/name` or `Kind/name` of the document, or `file` for the file as a whole. */
  document: string;
  /** The field path in Kubernetes' spelling, e.g. `spec.ports[0].nodePort`. */
  field: string;
  /** Why, in one sentence a person can act on. Code never decides on it: see `code`. */
  reason: string;
  /** 1-based line and column in the source file, when known. */
  line?: number;
  column?: number;
  /** The file it is in, when several files were read as one scenario (a dump directory). */
  file?: string;
}

/** The Cluster document's ranges, as its fields are named. */
export type ClusterRange = 'nodeNetwork' | 'podCIDR' | 'serviceCIDR';

/**
 * Every error a person can cause. The kinds that code acts on carry a `code` (and
 * what goes with it); the rest carry none, and their reason is for people only.
 */
export type PodpathIssue =
  | (IssueFields & { code?: undefined })
  /** An address or block in the file lies outside one of the Cluster's ranges. */
  | (IssueFields & { code: 'outside-cluster-range'; range: ClusterRange })
  /** A trace request names a pod, Deployment (with pods), node or Service the cluster does not hold. */
  | (IssueFields & { code: 'no-such-object' })
  /** kubectl's old internal format (`Items`, Go field names, metadata flattened), which podpath does not read. */
  | (IssueFields & { code: 'internal-format' })
  /** Pods bound to nodes (spec.nodeName) in an input that holds no Node documents: a dump without its nodes. */
  | (IssueFields & { code: 'nodes-missing'; nodes: string[] })
  // What podpath refuses to read (scenario/limits.ts): a clear error instead of a crash or a hang.
  /** The text is not YAML (nor JSON): the YAML library's own error, with its line and column. */
  | (IssueFields & { code: 'yaml-syntax' })
  /** A YAML alias (`*name`) with no anchor (`&name`) before it. */
  | (IssueFields & { code: 'yaml-alias-unresolved'; alias: string })
  /** A YAML alias inside the very value its anchor names (`&a [*a]`): a value that contains itself. */
  | (IssueFields & { code: 'yaml-alias-circular'; alias: string })
  /** Aliases that would expand past the limit (a "billion laughs" file). */
  | (IssueFields & { code: 'yaml-alias-limit'; limit: number })
  /** Maps and lists nested deeper than podpath reads. */
  | (IssueFields & { code: 'nested-too-deep'; limit: number })
  /** A number field holding .inf, .nan, or a number too large to hold (1e400). */
  | (IssueFields & { code: 'not-finite-number' })
  /** The file holds no documents (empty, only comments, only `---`). */
  | (IssueFields & { code: 'no-documents' })
  /** More pods than podpath holds in one cluster, refused before any is made. */
  | (IssueFields & { code: 'too-many-pods'; limit: number; requested: number })
  /** More pods need an address than the nodes' pod ranges have free, refused before any is given one. */
  | (IssueFields & { code: 'pods-do-not-fit'; needed: number; free: number });

/** What a warning is about, for code that acts on it; its message is for people. */
export type WarningCode =
  /** No podpath.dev/v1alpha1 Cluster document: the default ranges and CNI apply. */
  | 'cluster-document-missing'
  /** No podpath.dev/v1alpha1 Cluster document: its ranges and CNI were inferred from the nodes, Services and pods (inferCluster.ts). */
  | 'cluster-inferred'
  /** No Node documents: three default nodes were made. */
  | 'nodes-defaulted'
  /** Kinds podpath does not model were skipped. */
  | 'kinds-skipped'
  /** Fields Kubernetes does not know (a typo such as selecter:), ignored. */
  | 'unknown-fields'
  /** Pods with hostNetwork: true were skipped. */
  | 'host-network-skipped'
  /** nodeSelector, affinity, tolerations, topology spread or taints that the placement rule ignores. */
  | 'placement-ignored'
  /** A field that changes packet paths and that podpath does not follow. */
  | 'not-modelled'
  /** A LoadBalancer Service read as a NodePort Service. */
  | 'load-balancer-as-node-port'
  /** An ExternalName Service skipped (a DNS name, no packet path). */
  | 'external-name-skipped'
  /** A headless Service, kept without a virtual IP. */
  | 'headless-service'
  /** Two containers of one pod declare the same port: accepted by Kubernetes, but only one can bind it (EADDRINUSE). */
  | 'address-in-use'
  /** Pods a dump shows Pending without a node were left out (no node, no address). */
  | 'unscheduled-pods-skipped'
  /** Pods that are Pending, finished or not Ready: no ready endpoint. */
  | 'pods-not-ready'
  /** A Service with a selector whose EndpointSlices (or Endpoints) in the file differ from podpath's computation. */
  | 'endpoints-differ'
  /** IPv6 addresses, Services or EndpointSlices, which podpath does not model. */
  | 'ipv6-not-modelled';

export interface PodpathWarning {
  code: WarningCode;
  /** One sentence for a person. */
  message: string;
}

export class PodpathError extends Error {
  readonly issues: PodpathIssue[];
  constructor(issues: PodpathIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'PodpathError';
    this.issues = issues;
  }
}

export function formatIssue(i: PodpathIssue): string {
  const where = i.line !== undefined ? ` (line ${i.line}${i.column !== undefined ? `, column ${i.column}` : ''})` : '';
  const field = i.field ? ` ${i.field}` : '';
  // An issue of the whole input (no Node documents at all) names no document.
  if (!i.document) return `${i.reason}${where}`;
  return `${i.document}${field}: ${i.reason}${where}`;
}

/**
 * Either a value or the reasons there is none. Library functions return this; they
 * do not throw. Warnings are sentences for people (`W = string`, what the CLI prints
 * and the playground shows), or, where the engine itself acts on them (the parser's),
 * PodpathWarnings with their codes.
 */
export type Result<T, W = string> = { ok: true; value: T; warnings: W[] } | { ok: false; issues: PodpathIssue[]; warnings: W[] };

export function ok<T, W = string>(value: T, warnings: W[] = []): Result<T, W> {
  return { ok: true, value, warnings };
}

export function fail<T, W = string>(issues: PodpathIssue[], warnings: W[] = []): Result<T, W> {
  return { ok: false, issues, warnings };
}
