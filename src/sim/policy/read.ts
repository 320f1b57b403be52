// Reading a networking.k8s.io/v1 NetworkPolicy document as the API server takes it:
// validated as pkg/apis/networking/validation (ValidateNetworkPolicySpec) does, then
// defaulted as pkg/apis/networking/v1/defaults.go does (policyTypes: Ingress, plus
// Egress where the spec has egress rules; a port's protocol TCP). What the API
// server would refuse is a problem naming the field; nothing is quietly changed.
// A field the API does not know is warned about by scenario/knownFields.ts, as for
// every kind, not refused here.
import { block, blockContains, ipNumber } from '../ipam/addresses.ts';
import { isLabelKey, isLabelValue } from '../names.ts';
import { shownValue } from '../scenario/limits.ts';
import { cidrMaskProblem } from './cidr.ts';
import type { IpBlock, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyProtocol, PolicyRule, PolicyType, SelectorRequirement } from './types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export type Problem = (field: string, reason: string) => void;

const PROTOCOLS: readonly PolicyProtocol[] = ['TCP', 'UDP', 'SCTP'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** IANA_SVC_NAME, as validation.IsValidPortName checks a named port. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!/^[a-z0-9-]+$/.test(name)) return 'must contain only lowercase letters, digits and -';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with -';
  if (name.includes('--')) return 'must not contain --';
  return undefined;
}

function list(v: unknown, field: string, problem: Problem): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    problem(field, 'must be a list');
    return undefined;
  }
  return v;
}

export function readLabelSelector(v: unknown, field: string, problem: Problem): LabelSelector {
  const sel: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  if (v === undefined || v === null) return sel;
  if (!isObj(v)) {
    problem(field, 'must be a mapping (a label selector: matchLabels, matchExpressions)');
    return sel;
  }
  if (v.matchLabels !== undefined && v.matchLabels !== null) {
    if (!isObj(v.matchLabels)) problem(`${field}.matchLabels`, 'must be a mapping of label keys to values');
    else
      for (const [k, val] of Object.entries(v.matchLabels)) {
        // As the API server: a value that is not a string is refused, not turned into one (1.0 would become "1").
        if (typeof val !== 'string') problem(`${field}.matchLabels.${k}`, `must be a string, got ${shownValue(val)} (quote it)`);
        else if (!isLabelKey(k)) problem(`${field}.matchLabels`, `"${k}" is not a valid label key`);
        else if (!isLabelValue(val)) problem(`${field}.matchLabels.${k}`, `"${val}" is not a valid label value`);
        else sel.matchLabels[k] = val;
      }
  }
  (list(v.matchExpressions, `${field}.matchExpressions`, problem) ?? []).forEach((e, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    if (!isObj(e)) return problem(at, 'must be a mapping (key, operator, values)');
    if (typeof e.key !== 'string' || e.key === '') return problem(`${at}.key`, 'is required');
    if (!isLabelKey(e.key)) return problem(`${at}.key`, `"${e.key}" is not a valid label key`);
    if (!OPERATORS.includes(e.operator as (typeof OPERATORS)[number])) return problem(`${at}.operator`, `must be one of ${OPERATORS.join(', ')}, got ${JSON.stringify(e.operator)}`);
    const operator = e.operator as SelectorRequirement['operator'];
    const values = list(e.values, `${at}.values`, problem) ?? [];
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) return problem(`${at}.values`, `must be non-empty when operator is ${operator}`);
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) return problem(`${at}.values`, `must be empty when operator is ${operator}`);
    const bad = values.findIndex((x) => typeof x !== 'string' || !isLabelValue(x));
    if (bad >= 0) return problem(`${at}.values[${bad}]`, typeof values[bad] === 'string' ? `"${values[bad]}" is not a valid label value` : `must be a string, got ${shownValue(values[bad])} (quote it)`);
    sel.matchExpressions.push({ key: e.key, operator, values: values as string[] });
  });
  return sel;
}

function readIpBlock(v: unknown, field: string, problem: Problem): IpBlock | undefined {
  if (!isObj(v)) {
    problem(field, 'must be a mapping (cidr, except)');
    return undefined;
  }
  if (typeof v.cidr !== 'string' || v.cidr === '') {
    problem(`${field}.cidr`, 'is required');
    return undefined;
  }
  const bad = cidrMaskProblem(v.cidr);
  if (bad) {
    problem(`${field}.cidr`, bad);
    return undefined;
  }
  const outer = block(v.cidr);
  const except: string[] = [];
  (list(v.except, `${field}.except`, problem) ?? []).forEach((x, i) => {
    const at = `${field}.except[${i}]`;
    const xb = typeof x === 'string' ? cidrMaskProblem(x) : 'must be a CIDR such as 10.0.0.0/24';
    if (xb) return problem(at, xb);
    const inner = block(x as string);
    // validation: "must be a strict subset of `cidr`".
    const within = inner.first >= outer.first && inner.last <= outer.last && inner.prefixLength > outer.prefixLength;
    if (!within) return problem(at, `must be a strict subset of cidr ${v.cidr}`);
    except.push(x as string);
  });
  return { cidr: v.cidr, except };
}

function readPeer(v: unknown, field: string, problem: Problem): PolicyPeer | undefined {
  if (!isObj(v)) {
    problem(field, 'must be a mapping (podSelector, namespaceSelector or ipBlock)');
    return undefined;
  }
  const peer: PolicyPeer = {};
  const given = (k: string) => v[k] !== undefined && v[k] !== null;
  if (given('podSelector')) peer.podSelector = readLabelSelector(v.podSelector, `${field}.podSelector`, problem);
  if (given('namespaceSelector')) peer.namespaceSelector = readLabelSelector(v.namespaceSelector, `${field}.namespaceSelector`, problem);
  if (given('ipBlock')) {
    const b = readIpBlock(v.ipBlock, `${field}.ipBlock`, problem);
    if (b) peer.ipBlock = b;
    if (peer.podSelector || peer.namespaceSelector) problem(field, 'may not specify both ipBlock and another peer');
  }
  const n = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(given).length;
  if (n === 0) {
    problem(field, 'must specify a peer (podSelector, namespaceSelector or ipBlock)');
    return undefined;
  }
  return peer;
}

function readPort(v: unknown, field: string, problem: Problem): PolicyPort | undefined {
  if (!isObj(v)) {
    problem(field, 'must be a mapping (protocol, port, endPort)');
    return undefined;
  }
  const protocol = v.protocol === undefined || v.protocol === null ? 'TCP' : v.protocol;
  if (!PROTOCOLS.includes(protocol as PolicyProtocol)) {
    problem(`${field}.protocol`, `must be TCP, UDP or SCTP (case matters), got ${JSON.stringify(protocol)}`);
    return undefined;
  }
  const port: PolicyPort = { protocol: protocol as PolicyProtocol };
  if (v.port !== undefined && v.port !== null) {
    if (typeof v.port === 'number') {
      if (!Number.isInteger(v.port) || v.port < 1 || v.port > 65535) return void problem(`${field}.port`, `must be between 1 and 65535, got ${v.port}`);
      port.port = v.port;
    } else if (typeof v.port === 'string') {
      // An IntOrString that is all digits is still a string here: Kubernetes reads it as a name, which must hold a letter.
      const bad = portNameProblem(v.port);
      if (bad) return void problem(`${field}.port`, `a named port ${bad} (a number must be written without quotes)`);
      port.port = v.port;
    } else return void problem(`${field}.port`, 'must be a number or the name of a container port');
  }
  if (v.endPort !== undefined && v.endPort !== null) {
    if (typeof v.endPort !== 'number' || !Number.isInteger(v.endPort) || v.endPort < 1 || v.endPort > 65535) return void problem(`${field}.endPort`, 'must be a number between 1 and 65535');
    if (port.port === undefined) return void problem(`${field}.endPort`, 'may not be specified when port is not specified');
    if (typeof port.port === 'string') return void problem(`${field}.endPort`, 'may not be specified when port is a named port');
    if (v.endPort < port.port) return void problem(`${field}.endPort`, `must be greater than or equal to port ${port.port}`);
    port.endPort = v.endPort;
  }
  return port;
}

function readRules(v: unknown, field: string, peersField: 'from' | 'to', problem: Problem): PolicyRule[] {
  const rules: PolicyRule[] = [];
  (list(v, field, problem) ?? []).forEach((x, i) => {
    const at = `${field}[${i}]`;
    if (!isObj(x)) return problem(at, `must be a mapping (${peersField}, ports)`);
    const rule: PolicyRule = {};
    const peers = list(x[peersField], `${at}.${peersField}`, problem);
    // Absent or empty: the rule matches every peer (the API's comment on NetworkPolicyIngressRule.from).
    if (peers?.length) rule.peers = peers.map((p, j) => readPeer(p, `${at}.${peersField}[${j}]`, problem)).filter((p): p is PolicyPeer => p !== undefined);
    const ports = list(x.ports, `${at}.ports`, problem);
    if (ports?.length) rule.ports = ports.map((p, j) => readPort(p, `${at}.ports[${j}]`, problem)).filter((p): p is PolicyPort => p !== undefined);
    rules.push(rule);
  });
  return rules;
}

/** A NetworkPolicy's spec, validated and defaulted (metadata read by the caller). */
export function readNetworkPolicy(spec: unknown, meta: { namespace: string; name: string }, problem: Problem): NetworkPolicy | undefined {
  if (!isObj(spec)) {
    problem('spec', 'is required (podSelector, policyTypes, ingress, egress)');
    return undefined;
  }
  const podSelector = readLabelSelector(spec.podSelector, 'spec.podSelector', problem);
  const ingress = readRules(spec.ingress, 'spec.ingress', 'from', problem);
  const egress = readRules(spec.egress, 'spec.egress', 'to', problem);
  const given = list(spec.policyTypes, 'spec.policyTypes', problem);
  let policyTypes: PolicyType[];
  if (given?.length) {
    if (given.length > 2) problem('spec.policyTypes', 'may not specify more than two policyTypes');
    policyTypes = [];
    given.forEach((t, i) => {
      if (t !== 'Ingress' && t !== 'Egress') return problem(`spec.policyTypes[${i}]`, `must be Ingress or Egress, got ${JSON.stringify(t)}`);
      if (!policyTypes.includes(t)) policyTypes.push(t);
    });
  } else {
    // defaults.go: any policy without policyTypes implies Ingress; Egress when it has egress rules.
    policyTypes = egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  return { namespace: meta.namespace, name: meta.name, podSelector, policyTypes, policyTypesGiven: !!given?.length, ingress, egress };
}

/** An IPv4 address in an ipBlock (cidr less except). */
export function inIpBlock(ipBlock: IpBlock, ip: string): boolean {
  const n = ipNumber(ip);
  const within = (c: string) => blockContains(block(c), n);
  return within(ipBlock.cidr) && !ipBlock.except.some(within);
}
