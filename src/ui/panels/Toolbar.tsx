// The top bar: the palette (drag or click), the cluster's CNI and kube-proxy mode,
// New / Import / Export, Undo / Redo, and Send packet.
import { lazy, Suspense, useRef, type DragEvent, type MouseEvent } from 'react';
import { CNI_MODES, KUBE_PROXY_MODES, UNOFFERED_KUBE_PROXY_MODES, type CniMode, type KubeProxyMode } from '../../sim/model.ts';
import { CNI_PLUGINS, cniOf } from '../../sim/cni/index.ts';
import { PROXY_PLUGINS } from '../../sim/proxy/index.ts';
import { actions, playground, useHistory, useLessons, usePlayground } from '../playground.ts';
import { DRAG_MIME } from '../canvas/Canvas.tsx';
import { clickArms, toggleArmed, useArmed, type PaletteKind } from '../canvas/placing.ts';
import { coarsePointer, useTouchMode } from '../canvas/touchMode.ts';
import { download } from '../io.ts';
import { withImportProgress } from './importProgress.ts';
import LessonsButton from '../lessons/Lessons.tsx';
import ShareButtons from '../share/ShareButtons.tsx';
import RecordLesson from '../lessons/Record.tsx';
import { present } from '../presenter/presenter.ts';
import { useNarrow } from '../narrow/breakpoint.ts';
import ToolbarMenu from '../narrow/ToolbarMenu.tsx';
import buttons from '../buttons.module.css';
import styles from './Toolbar.module.css';
// A CNI's own settings show only while the cluster runs it: loaded then, not in the first view.
const CalicoPool = lazy(() => import('./CalicoPool.tsx'));
const CiliumSettings = lazy(() => import('./CiliumSettings.tsx'));
// The NetworkPolicy form and its YAML: loaded when a person first opens it.
const PolicyEditor = lazy(() => import('./PolicyEditor.tsx'));
import { labCaveat } from './labCaveat.ts';
import { closeNewPolicy, openNewPolicy, POLICY_DRAG_MIME, useNewPolicy } from './newPolicy.ts';

type Kind = PaletteKind;

/** Enter (or a mouse click) adds next to what is selected: a pod goes on the selected node (or the selected pod's node). */
function addByKeyboard(kind: Kind) {
  const st = actions();
  if (kind === 'node') return st.addNode();
  if (kind === 'service') return st.addService();
  if (kind === 'deployment') return st.addDeployment();
  const sel = st.selection;
  const node =
    sel?.kind === 'node' ? sel.key : sel?.kind === 'pod' ? st.scenario.pods.find((p) => `${p.namespace}/${p.name}` === sel.key)?.nodeName : st.scenario.nodes[0]?.name;
  if (!node) return st.notify({ kind: 'hint', text: 'Add a node first: a pod runs on a node.', near: 'palette' });
  return st.addPod(node);
}

const KIND_CLASS: Record<Kind, string> = { node: styles.node, pod: styles.pod, service: styles.service, deployment: styles.deployment };

function PaletteButton({ kind, label, hint }: { kind: Kind; label: string; hint: string }) {
  const armed = useArmed() === kind;
  // With a finger it is a toggle (armed or not); with a mouse or the keyboard, a button that adds.
  const touch = useTouchMode();
  // How the last press came: a finger's tap arms the item (then a tap on the canvas places it).
  const pressedWith = useRef<string | null>(null);
  const onDragStart = (e: DragEvent) => {
    e.dataTransfer.setData(DRAG_MIME, kind);
    e.dataTransfer.effectAllowed = 'copy';
  };
  const onClick = (e: MouseEvent) => {
    // A click the keyboard made (Enter, Space) has no pointer: detail 0.
    const arms = clickArms(pressedWith.current, e.detail === 0, coarsePointer());
    pressedWith.current = null;
    if (arms) toggleArmed(kind);
    else addByKeyboard(kind);
  };
  return (
    <button
      type="button"
      className={armed ? `${styles.paletteItem} ${KIND_CLASS[kind]} ${styles.armed}` : `${styles.paletteItem} ${KIND_CLASS[kind]}`}
      draggable
      onDragStart={onDragStart}
      onPointerDown={(e) => (pressedWith.current = e.pointerType)}
      onClick={onClick}
      aria-pressed={touch ? armed : undefined}
      title={hint}
    >
      <span className={styles.glyph} aria-hidden="true" />
      {label}
    </button>
  );
}

export const LAB_FILE = 'podpath-lab.sh';
export const SCENARIO_FILE = 'podpath-scenario.yaml';

/** Download the cluster as a scenario file, and say what a file of pods leaves out. */
async function exportScenario() {
  download(SCENARIO_FILE, await actions().exportText());
  const fromWorkloads = actions().scenario.pods.filter((p) => p.ownerKind).length;
  actions().notify({
    kind: 'hint',
    near: 'file',
    text:
      `Saved ${SCENARIO_FILE}: the cluster with every address, as podpath and its CLI read it (npx podpath trace ${SCENARIO_FILE} …).` +
      (fromWorkloads
        ? ` Its ${fromWorkloads} pod${fromWorkloads === 1 ? '' : 's'} from Deployments, StatefulSets and DaemonSets are written as the Pods they made (with their ports and labels, and a test image): podpath models pods, not their templates.`
        : ''),
  });
}

/** Download the lab script for the cluster on screen, and say how to run it. */
async function runInLinux() {
  download(LAB_FILE, await actions().labScriptText(), 'text/x-shellscript');
  actions().notify({
    kind: 'hint',
    near: 'file',
    text: `Saved ${LAB_FILE}: this cluster in real network namespaces. On Linux, as root (needs iproute2, iptables, python3, containernetworking-plugins and the br_netfilter module; the script checks):${labCaveat(playground.getState().scenario.cluster)}`,
    commands: [`sudo bash ${LAB_FILE} up && sudo bash ${LAB_FILE} probe`, `sudo bash ${LAB_FILE} down`],
  });
}

/** Send, then hand the keyboard to Play: Space plays the walk, as the hint says. */
function sendPacket() {
  actions().send();
  requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('[data-play]')?.focus());
}

export default function Toolbar() {
  const cni = usePlayground((s) => s.scenario.cluster.cni);
  const kubeProxy = usePlayground((s) => s.scenario.cluster.kubeProxy);
  // Which CNI settings control to show (by what the bound plugin carries, not its name).
  const cniSettings = usePlayground((s) => (cniOf(s.scenario.cluster).calico ? 'ippool' : cniOf(s.scenario.cluster).cilium ? 'helm' : undefined));
  // The CNI does kube-proxy's work (Cilium's kubeProxyReplacement): the selector says so, disabled.
  const replaced = usePlayground((s) => (cniOf(s.scenario.cluster).ebpf?.socketLb ? "Cilium's socket-LB (kubeProxyReplacement) does the Services" : undefined));
  const canUndo = useHistory((t) => t.pastStates.length > 0);
  const canRedo = useHistory((t) => t.futureStates.length > 0);
  const file = useRef<HTMLInputElement>(null);
  // A phone or a tablet: the bar is one row (brand, Send packet, Menu); the rest is in the menu.
  const narrow = useNarrow();
  const lessonOpened = useLessons((l) => l.open?.lesson.title ?? '');
  // A new NetworkPolicy being written (PolicyEditor): where it starts. Clicked, from the selected
  // pod; dropped onto a pod on the canvas, from that pod (./newPolicy.ts).
  const newPolicy = useNewPolicy();
  const openPolicy = () => {
    const sel = actions().selection;
    openNewPolicy(sel?.kind === 'pod' ? sel.key : undefined);
  };
  const scenario = usePlayground((s) => (newPolicy ? s.scenario : null));

  // Several files at once (a cluster-info dump directory's) are one cluster.
  const onFiles = async (list: FileList | null) => {
    const chosen = [...(list ?? [])];
    if (!chosen.length) return;
    // A big dump takes seconds to read and draw: the canvas says so meanwhile (importProgress.ts).
    const name = chosen.length === 1 ? chosen[0].name : `${chosen.length} files`;
    const size = chosen.reduce((sum, f) => sum + f.size, 0);
    await withImportProgress({ name, size }, async () => actions().importFiles(await Promise.all(chosen.map(async (f) => ({ name: f.name, text: await f.text() })))));
    if (file.current) file.current.value = '';
  };

  const palette = (
    <div className={styles.palette} role="group" aria-label="Add to the cluster">
      <PaletteButton kind="node" label="Node" hint="Drag onto the canvas (or press Enter) to add a node" />
      <PaletteButton kind="pod" label="Pod" hint="Drag onto a node (or press Enter to add to the selected node)" />
      <PaletteButton kind="service" label="Service" hint="Drag onto the canvas (or press Enter) to add a Service" />
      <PaletteButton kind="deployment" label="Deployment" hint="Drag onto the canvas (or press Enter) to add a Deployment: 2 pods, placed by the scheduler" />
      <button
        type="button"
        className={`${styles.paletteItem} ${styles.policy}`}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(POLICY_DRAG_MIME, 'NetworkPolicy');
          e.dataTransfer.effectAllowed = 'copy';
        }}
        onClick={openPolicy}
        title="Drag onto a pod (or click with a pod selected): a new NetworkPolicy selecting pods with its labels, in its namespace, as a form beside its YAML"
      >
        <span className={styles.glyph} aria-hidden="true" />
        NetworkPolicy
      </button>
    </div>
  );
  const send = (
    <button type="button" className={`${buttons.primary} ${styles.send}`} onClick={sendPacket}>
      Send packet
    </button>
  );
  const rest = (
    <>
      <LessonsButton />
      <RecordLesson />
      <button type="button" onClick={present} data-present-button title="Presenter mode (P): the canvas and the walk in large type; Esc leaves">
        Present
      </button>
      {/* Undo and Redo beside the first row's actions: at the end of the bar they wrapped onto a row of their own at 1280 px. */}
      <div className={styles.history} role="group" aria-label="History">
        <button type="button" disabled={!canUndo} onClick={() => playground.temporal.getState().undo()} title="Undo (Ctrl+Z)" aria-label="Undo" className={styles.iconButton}>
          ↶
        </button>
        <button type="button" disabled={!canRedo} onClick={() => playground.temporal.getState().redo()} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" className={styles.iconButton}>
          ↷
        </button>
      </div>
      <div className={styles.modes}>
        <label>
          CNI
          <select aria-label="CNI" value={cni} onChange={(e) => actions().setCluster({ cni: e.target.value as CniMode })}>
            {CNI_MODES.map((m) => (
              <option key={m} title={CNI_PLUGINS[m].title}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <Suspense fallback={null}>
          {cniSettings === 'ippool' && <CalicoPool />}
          {cniSettings === 'helm' && <CiliumSettings />}
        </Suspense>
        <label title={replaced ? `${replaced}: no kube-proxy runs` : undefined}>
          kube-proxy
          <select aria-label="kube-proxy" value={kubeProxy} disabled={replaced !== undefined} onChange={(e) => actions().setCluster({ kubeProxy: e.target.value as KubeProxyMode })}>
            {KUBE_PROXY_MODES.map((m) => (
              <option key={m} title={PROXY_PLUGINS[m].title}>
                {m}
              </option>
            ))}
            {/* Modes kube-proxy has that podpath does not offer: shown, disabled, with the reason. */}
            {Object.entries(UNOFFERED_KUBE_PROXY_MODES).map(([m, why]) => (
              <option key={m} value={m} disabled title={why}>
                {m} (not offered)
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className={styles.files} role="group" aria-label="File">
        <button type="button" onClick={() => actions().newCluster()}>
          New
        </button>
        <button type="button" onClick={() => file.current?.click()}>
          Import
        </button>
        <input ref={file} type="file" multiple accept=".yaml,.yml,.json,text/yaml,application/json" hidden aria-label="Scenario file" onChange={(e) => void onFiles(e.target.files)} />
        <button type="button" onClick={() => void exportScenario()}>
          Export
        </button>
        <button type="button" onClick={() => void runInLinux()} title="Download a bash script that builds this cluster in real network namespaces">
          Run in Linux
        </button>
      </div>
      <ShareButtons />
    </>
  );
  return (
    <header className={narrow ? `${styles.topbar} ${styles.oneRow}` : styles.topbar}>
      {/* The page's one level-one heading (a screen reader's way to the top). */}
      <h1 className={styles.brand} title="podpath" aria-label="podpath">
        <span className={styles.brandMark} aria-hidden="true" />
        <span className={styles.brandName}>podpath</span>
      </h1>
      {narrow ? (
        <>
          {send}
          <ToolbarMenu closeOn={lessonOpened}>
            {palette}
            {rest}
          </ToolbarMenu>
        </>
      ) : (
        <>
          {palette}
          {send}
          {rest}
        </>
      )}
      {newPolicy && scenario && (
        <Suspense fallback={null}>
          <PolicyEditor scenario={scenario} start={{ fresh: newPolicy }} onClose={closeNewPolicy} />
        </Suspense>
      )}
    </header>
  );
}
