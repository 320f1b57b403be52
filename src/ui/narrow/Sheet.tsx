// On a phone or a tablet the canvas is the page: the walkthrough and the inspector
// share a sheet beside or under it (App.module.css places it), one tab at a time.
// Sending a packet shows the Packet tab; selecting a pod, node or Service, the
// Inspector tab (its netns terminal first: a student taps a pod to read its routes).
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { usePlayground } from '../playground.ts';
import InspectorEmpty from '../panels/InspectorEmpty.tsx';
import styles from './Sheet.module.css';

export type SheetTab = 'packet' | 'inspector';
const TABS: { id: SheetTab; label: string }[] = [
  { id: 'packet', label: 'Packet' },
  { id: 'inspector', label: 'Inspector' },
];

export default function Sheet({ packet, inspector }: { packet: ReactNode; inspector: ReactNode }) {
  const [tab, setTab] = useState<SheetTab>('packet');
  const request = usePlayground((s) => s.request);
  const selected = usePlayground((s) => s.selection !== null);
  const selectionSerial = usePlayground((s) => s.selectionSerial);
  const panel = useRef<HTMLDivElement>(null);
  const tabRefs = useRef(new Map<SheetTab, HTMLButtonElement>());

  // Follow what the person just did: a packet sent, or something selected (not on the first render).
  const first = useRef(true);
  useEffect(() => {
    if (!first.current && request) setTab('packet');
  }, [request]);
  useEffect(() => {
    if (!first.current && selected) setTab('inspector');
  }, [selectionSerial, selected]);
  useEffect(() => {
    first.current = false;
  }, []);
  // A tab shown anew starts at its top (the playback controls, or the terminal's routes).
  useEffect(() => {
    if (panel.current) panel.current.scrollTop = 0;
  }, [tab]);

  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const to = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i - 1 + TABS.length) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    e.stopPropagation(); // not the packet's stepping keys
    setTab(TABS[to].id);
    tabRefs.current.get(TABS[to].id)?.focus();
  };

  return (
    <aside className={styles.sheet} aria-label="Panels">
      <div className={styles.tabs} role="tablist" aria-label="Panels" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              if (el) tabRefs.current.set(t.id, el);
              else tabRefs.current.delete(t.id);
            }}
            type="button"
            role="tab"
            id={`sheet-tab-${t.id}`}
            aria-selected={t.id === tab}
            aria-controls={`sheet-panel-${t.id}`}
            tabIndex={t.id === tab ? 0 : -1}
            className={t.id === tab ? `${styles.tab} ${styles.selected}` : styles.tab}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {/* Both stay mounted (a terminal's chosen command, the form's fields); the hidden one is out of the page. */}
      <div ref={tab === 'packet' ? panel : undefined} className={styles.panel} role="tabpanel" id="sheet-panel-packet" aria-labelledby="sheet-tab-packet" hidden={tab !== 'packet'}>
        {packet}
      </div>
      <div ref={tab === 'inspector' ? panel : undefined} className={styles.panel} role="tabpanel" id="sheet-panel-inspector" aria-labelledby="sheet-tab-inspector" hidden={tab !== 'inspector'}>
        {selected ? inspector : <InspectorEmpty />}
      </div>
    </aside>
  );
}
