// A NetworkPolicy edited as a form and as YAML side by side (issue 12 §5). The form
// writes the YAML as it changes; the YAML, edited, fills the form again when the form
// can show it (policyForm.ts), and says why not when it cannot. Apply replaces the
// policy (or adds it) through the same parser an import goes through
// (edit.setNetworkPolicies): what it refuses is shown here, and nothing changes.
import { useId, useMemo, useState } from 'react';
import { formatIssue, type Scenario } from '../../sim/index.ts';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { networkPoliciesYaml } from '../../sim/scenario/write.ts';
import { policyKey, type NetworkPolicy } from '../../sim/policy/types.ts';
import { policySelectsPod } from '../../sim/policy/selector.ts';
import Dialog, { DialogHead } from '../a11y/Dialog.tsx';
import { actions, usePlayground } from '../playground.ts';
import buttons from '../buttons.module.css';
import { emptyRule, formToPolicy, newPolicyForm, policyToForm, policyYaml, type PeerKind, type PolicyForm, type RuleForm } from './policyForm.ts';
import styles from './PolicyEditor.module.css';

const NEAR = 'policy-editor';

const PEER_WORDS: Record<PeerKind, { from: string; to: string }> = {
  anyone: { from: 'anyone (any address)', to: 'anywhere (any address)' },
  namespace: { from: 'pods of this namespace', to: 'pods of this namespace' },
  namespaces: { from: 'pods of namespaces with labels', to: 'pods of namespaces with labels' },
  cidr: { from: 'addresses in a CIDR', to: 'addresses in a CIDR' },
};

export interface PolicyEditorProps {
  scenario: Scenario;
  /** The policy edited, or a new one: in a namespace, selecting the pods with these labels (none: every pod of it). */
  start: { policy: NetworkPolicy } | { fresh: { namespace: string; labels: Record<string, string> } };
  onClose: () => void;
}

/** The one policy a YAML text holds, read by the import's parser; or what is wrong with it. */
function readOne(text: string): { policy: NetworkPolicy } | { problem: string } {
  const r = parseScenario(text, 'NetworkPolicy YAML', { defaultNodes: false });
  if (!r.ok) return { problem: r.issues.map(formatIssue).join('\n') };
  const list = r.value.networkPolicies ?? [];
  if (list.length !== 1 || r.value.pods.length || r.value.services.length) return { problem: 'this side holds one NetworkPolicy document' };
  return { policy: list[0] };
}

export default function PolicyEditor({ scenario, start, onClose }: PolicyEditorProps) {
  const original = 'policy' in start ? start.policy : null;
  const first = useMemo(() => {
    if ('fresh' in start) {
      const { namespace, labels } = start.fresh;
      const taken = new Set((scenario.networkPolicies ?? []).filter((p) => p.namespace === namespace).map((p) => p.name));
      let name = 'new-policy';
      for (let i = 2; taken.has(name); i++) name = `new-policy-${i}`;
      const selects = Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return { form: newPolicyForm(namespace, name, selects), beyond: null as string | null };
    }
    const f = policyToForm(start.policy);
    return 'form' in f ? { form: f.form, beyond: null } : { form: null, beyond: f.beyond };
  }, [start, scenario]);
  const [form, setForm] = useState<PolicyForm | null>(first.form);
  const [beyond, setBeyond] = useState<string | null>(first.beyond);
  const [yaml, setYaml] = useState(() => {
    if (original) return policyYaml(original);
    const p = formToPolicy(first.form!);
    return 'policy' in p ? policyYaml(p.policy) : '';
  });
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [yamlProblem, setYamlProblem] = useState<string | null>(null);
  // The parser's refusal of this dialog's Apply (not one left over from an earlier dialog), until the next edit.
  const [tried, setTried] = useState(false);
  const refusal = usePlayground((s) => (s.notice?.near === NEAR && s.notice.kind === 'error' ? s.notice.text : null));
  const notice = tried ? refusal : null;
  const id = useId();
  // Which pods the form's policy selects now: a policy selects by labels, so it may select more pods than the one it started from.
  const selected = useMemo(() => {
    if (!form) return null;
    const p = formToPolicy(form);
    if ('problem' in p) return null;
    return scenario.pods.filter((pod) => policySelectsPod(p.policy, pod)).map((pod) => pod.name);
  }, [form, scenario]);

  /** The form changed: its YAML is written, when the form says a policy. */
  const change = (next: PolicyForm) => {
    setTried(false);
    setForm(next);
    const p = formToPolicy(next);
    if ('problem' in p) setFormProblem(p.problem);
    else {
      setFormProblem(null);
      setYamlProblem(null);
      setYaml(policyYaml(p.policy));
    }
  };
  /** The YAML changed: the form follows it when the text is one policy the form can show. */
  const editYaml = (text: string) => {
    setTried(false);
    setYaml(text);
    const r = readOne(text);
    if ('problem' in r) return setYamlProblem(r.problem);
    setYamlProblem(null);
    const f = policyToForm(r.policy);
    if ('form' in f) {
      setForm(f.form);
      setBeyond(null);
      setFormProblem(null);
    } else setBeyond(f.beyond);
  };
  const apply = () => {
    const r = readOne(yaml);
    if ('problem' in r) return setYamlProblem(r.problem);
    // Every other policy as it is, this one replacing the one edited (a rename replaces it too). A new
    // one replaces nothing: given the name of one that exists, the parser refuses the second.
    const all = scenario.networkPolicies ?? [];
    const others = original ? all.filter((p) => policyKey(p) !== policyKey(original)) : all;
    setTried(true);
    const text = networkPoliciesYaml({ ...scenario, networkPolicies: others }) + (others.length ? '---\n' : '') + yaml;
    if (actions().setNetworkPolicies(text, NEAR)) onClose();
  };
  /** The policy edited, deleted: every other one as it is (Undo brings it back). */
  const remove = () => {
    if (!original) return;
    const others = (scenario.networkPolicies ?? []).filter((p) => policyKey(p) !== policyKey(original));
    setTried(true);
    if (!actions().setNetworkPolicies(others.length ? networkPoliciesYaml({ ...scenario, networkPolicies: others }) : '', NEAR)) return;
    actions().notify({ kind: 'hint', near: 'file', text: `Deleted NetworkPolicy ${policyKey(original)}: the pods it selected are no longer isolated by it. Undo (Ctrl+Z) brings it back.` });
    onClose();
  };

  const rule = (dir: 'ingress' | 'egress', r: RuleForm, i: number) => {
    const list = dir === 'ingress' ? 'ingressRules' : 'egressRules';
    const set = (patch: Partial<RuleForm>) => form && change({ ...form, [list]: form[list].map((x, k) => (k === i ? { ...x, ...patch } : x)) });
    const words = dir === 'ingress' ? 'from' : 'to';
    return (
      <fieldset key={i} className={styles.rule}>
        <legend>
          {dir === 'ingress' ? 'Allow from' : 'Allow to'} · rule {i + 1}
        </legend>
        <label>
          <span>{dir === 'ingress' ? 'From' : 'To'}</span>
          <select value={r.peer} onChange={(e) => set({ peer: e.target.value as PeerKind })}>
            {(Object.keys(PEER_WORDS) as PeerKind[]).map((k) => (
              <option key={k} value={k}>
                {PEER_WORDS[k][words]}
              </option>
            ))}
          </select>
        </label>
        {r.peer === 'namespaces' && (
          <label>
            <span>Namespace labels</span>
            <input value={r.namespaceLabels} placeholder="every namespace" onChange={(e) => set({ namespaceLabels: e.target.value })} />
          </label>
        )}
        {(r.peer === 'namespace' || r.peer === 'namespaces') && (
          <label>
            <span>Pod labels</span>
            <input value={r.podLabels} placeholder="every pod" onChange={(e) => set({ podLabels: e.target.value })} />
          </label>
        )}
        {r.peer === 'cidr' && (
          <label>
            <span>CIDR</span>
            <input value={r.cidr} placeholder="10.0.0.0/8" onChange={(e) => set({ cidr: e.target.value })} />
          </label>
        )}
        <label>
          <span>Ports</span>
          <input value={r.ports} placeholder="every port (or 80, 81/UDP, 8000-8080)" onChange={(e) => set({ ports: e.target.value })} />
        </label>
        <button type="button" className={styles.remove} onClick={() => form && change({ ...form, [list]: form[list].filter((_, k) => k !== i) })}>
          Remove rule {i + 1}
        </button>
      </fieldset>
    );
  };

  const direction = (dir: 'ingress' | 'egress') => {
    if (!form) return null;
    const on = form[dir];
    const list = form[dir === 'ingress' ? 'ingressRules' : 'egressRules'];
    return (
      <div className={styles.direction}>
        <label className={styles.check}>
          <input type="checkbox" checked={on} onChange={(e) => change({ ...form, [dir]: e.target.checked })} />
          <span>Isolate {dir}</span>
        </label>
        {on && (
          <>
            <p className={styles.said}>
              {list.length === 0
                ? dir === 'ingress'
                  ? 'No rule: nothing may connect to the selected pods (deny all ingress).'
                  : 'No rule: the selected pods may connect to nothing (deny all egress, DNS included).'
                : `What any rule allows is allowed (rules add up).`}
            </p>
            {list.map((r, i) => rule(dir, r, i))}
            <button type="button" onClick={() => change({ ...form, [dir === 'ingress' ? 'ingressRules' : 'egressRules']: [...list, emptyRule()] })}>
              Add {dir} rule
            </button>
          </>
        )}
      </div>
    );
  };

  return (
    <Dialog labelledBy={`${id}-title`} onClose={onClose} className={styles.dialog}>
      <DialogHead id={`${id}-title`} onClose={onClose}>
        {original ? `NetworkPolicy ${policyKey(original)}` : 'New NetworkPolicy'}
      </DialogHead>
      <div className={styles.sides}>
        <form className={styles.form} aria-label="NetworkPolicy form" onSubmit={(e) => e.preventDefault()}>
          {form && !beyond ? (
            <>
              <label>
                <span>Name</span>
                <input value={form.name} onChange={(e) => change({ ...form, name: e.target.value })} />
              </label>
              <label>
                <span>Namespace</span>
                <select value={form.namespace} onChange={(e) => change({ ...form, namespace: e.target.value })}>
                  {[...new Set([...scenario.namespaces, form.namespace])].map((n) => (
                    <option key={n}>{n}</option>
                  ))}
                </select>
              </label>
              <label>
                <span>Pods it selects (labels)</span>
                <input value={form.podSelector} placeholder="every pod of the namespace" onChange={(e) => change({ ...form, podSelector: e.target.value })} aria-describedby={`${id}-selected`} />
              </label>
              {selected && (
                <p id={`${id}-selected`} className={styles.said} aria-live="polite">
                  {selected.length === 0 ? `Selects no pod of ${form.namespace} now.` : `Selects ${selected.length === 1 ? '1 pod' : `${selected.length} pods`} of ${form.namespace}: ${selected.slice(0, 8).join(', ')}${selected.length > 8 ? ` and ${selected.length - 8} more` : ''}.`}
                </p>
              )}
              {direction('ingress')}
              {direction('egress')}
              {formProblem && (
                <p className={styles.problem} role="alert">
                  {formProblem}
                </p>
              )}
            </>
          ) : (
            <p className={styles.said}>The form cannot show this policy: {beyond}. Edit it as YAML, beside.</p>
          )}
        </form>
        <div className={styles.yaml}>
          <label htmlFor={`${id}-yaml`}>YAML</label>
          <textarea id={`${id}-yaml`} value={yaml} spellCheck={false} onChange={(e) => editYaml(e.target.value)} />
          {yamlProblem && (
            <p className={styles.problem} role="alert">
              {yamlProblem}
            </p>
          )}
        </div>
      </div>
      {notice && (
        <p className={styles.problem} role="alert">
          {notice}
        </p>
      )}
      <div className={styles.actions}>
        <button type="button" className={buttons.primary} onClick={apply} disabled={!!formProblem && !beyond}>
          Apply
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        {original && (
          <button type="button" className={styles.delete} onClick={remove}>
            Delete {original.name}
          </button>
        )}
      </div>
    </Dialog>
  );
}
