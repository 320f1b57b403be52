// metav1.LabelSelector matching, as k8s.io/apimachinery's labels.Selector does it:
// every matchLabels pair and every matchExpressions requirement must hold; an
// empty selector holds for everything.
import type { PodSpec, Scenario } from '../model.ts';
import type { LabelSelector, NetworkPolicy, PolicyType, SelectorRequirement } from './types.ts';

function requirementHolds(r: SelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(labels[r.key]);
    case 'NotIn':
      // A pod without the key is not in the set, so NotIn holds (labels.Selector: "!has || not in").
      return !has || !r.values.includes(labels[r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function labelSelectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const k in sel.matchLabels) if (labels[k] !== sel.matchLabels[k]) return false;
  return sel.matchExpressions.every((r) => requirementHolds(r, labels));
}

export const isEmptySelector = (sel: LabelSelector) => Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;

/** The selector as kubectl describe prints it: `app=web,tier in (a,b)`, or `<none>` (everything) for an empty one. */
export function selectorText(sel: LabelSelector): string {
  const parts = [
    ...Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...sel.matchExpressions.map((r) => {
      switch (r.operator) {
        case 'In':
          return `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    }),
  ];
  return parts.length ? parts.join(',') : '<none>';
}

export const policiesOf = (s: Pick<Scenario, 'networkPolicies'>): readonly NetworkPolicy[] => s.networkPolicies ?? [];

/** Does the policy select this pod (its own namespace's pods, by its podSelector)? */
export function policySelectsPod(policy: Pick<NetworkPolicy, 'namespace' | 'podSelector'>, pod: Pick<PodSpec, 'namespace' | 'labels'>): boolean {
  return pod.namespace === policy.namespace && labelSelectorMatches(policy.podSelector, pod.labels);
}

/** The policies that select `pod` for `direction`, in the order kubectl lists them (by name). */
export function policiesSelecting(s: Pick<Scenario, 'networkPolicies'>, pod: PodSpec, direction: PolicyType): NetworkPolicy[] {
  return policiesOf(s)
    .filter((p) => p.policyTypes.includes(direction) && policySelectsPod(p, pod))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
