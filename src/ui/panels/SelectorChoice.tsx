// A Service was connected to a pod it does not select. A selector is labels a pod
// must all carry, so the Service cannot simply "also" take this pod: the person
// chooses to give the pod the selector's labels, or to select by the labels the
// pods share. Each answer is one of the engine's edits (src/sim/edit.ts), one undo step.
// A modal (a11y/Dialog.tsx): the question waits for an answer, Escape cancels.
import { useRef } from 'react';
import Dialog from '../a11y/Dialog.tsx';
import { serviceToPod } from '../../sim/edit.ts';
import { keyParts } from '../../store/ids.ts';
import { actions, usePlayground } from '../playground.ts';
import buttons from '../buttons.module.css';
import styles from './SelectorChoice.module.css';

const pairs = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ');
const nameOf = (key: string) => keyParts(key)?.name ?? key;
/** Answered or cancelled: the keyboard goes back to the canvas the question came from. */
const canvas = () => document.querySelector<HTMLElement>('[data-canvas]');

export default function SelectorChoice() {
  const linking = usePlayground((s) => s.linking);
  const scenario = usePlayground((s) => s.scenario);
  const first = useRef<HTMLButtonElement>(null);
  if (!linking) return null;
  const link = serviceToPod(scenario, linking.service, linking.pod);
  if (!link.ok || link.value.kind !== 'choose') return null;
  const { labelPod, widen } = link.value;
  const svc = nameOf(linking.service);
  const pod = nameOf(linking.pod);
  const selector = scenario.services.find((v) => `${v.namespace}/${v.name}` === linking.service)?.selector ?? {};
  const overwritten = Object.keys(labelPod.overwrites).length ? ` (instead of ${pairs(labelPod.overwrites)})` : '';
  return (
    <Dialog labelledBy="selector-choice-title" onClose={() => actions().cancelLink()} initialFocus={first} returnFocus={canvas} className={styles.dialog}>
      <h2 id="selector-choice-title" className={styles.title}>
        Service {svc} does not select pod {pod}
      </h2>
      <p className={styles.why}>
        Its selector <code>{pairs(selector)}</code> names labels a pod must all carry; pod {pod} has <code>{pairs(scenario.pods.find((p) => `${p.namespace}/${p.name}` === linking.pod)?.labels ?? {}) || 'no labels'}</code>. Select it by a shared label:
      </p>
      <div className={styles.options}>
        <button ref={first} type="button" onClick={() => actions().labelPodForService(linking.service, linking.pod)}>
          <strong>Label the pod</strong>
          <span>
            give pod {pod} <code>{pairs(selector)}</code>
            {overwritten}
          </span>
        </button>
        <button type="button" disabled={!widen} onClick={() => actions().widenSelector(linking.service, linking.pod)}>
          <strong>Widen the selector</strong>
          {widen ? (
            <span>
              select by <code>{pairs(widen.selector)}</code>: {widen.selects.map(nameOf).join(', ')}
            </span>
          ) : (
            <span>no label is shared by pod {pod} and the pods it selects</span>
          )}
        </button>
      </div>
      <div className={styles.foot}>
        <button type="button" className={buttons.icon} onClick={() => actions().cancelLink()}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
