// A search box with a list of matches (the ARIA combobox pattern): type a name or an
// address, move through the matches with the arrow keys, Enter (or a click) chooses.
// The canvas's "Find" box and, in a big cluster, the packet's From and To pickers.
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { describeEntry, findEntries, type FindEntry, type FindIndex, type FindKind } from './findIndex.ts';
import styles from './FindBox.module.css';

interface Props {
  /** The input's accessible name. */
  label: string;
  index: FindIndex;
  kinds: readonly FindKind[];
  onChoose: (e: FindEntry) => void;
  /** What the box shows while nobody types in it (a picker's current end); without it, the last choice stays written. */
  value?: string;
  placeholder?: string;
  className?: string;
}

const KIND_WORD: Record<FindKind, string> = { pod: 'pod', node: 'node', service: 'Service', external: 'client' };

export default function FindBox({ label, index, kinds, onChoose, value, placeholder, className }: Props) {
  const id = useId();
  // null: not being edited (the box shows `value`).
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = text ?? '';
  const found = useMemo(() => (open ? findEntries(index, query, kinds) : { matches: [], total: 0 }), [open, index, query, kinds]);
  const listed = open && found.matches.length > 0;
  const at = Math.min(active, found.matches.length - 1);

  const choose = (e: FindEntry) => {
    setOpen(false);
    setText(value === undefined ? e.name : null);
    onChoose(e);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      const n = found.matches.length;
      if (n) setActive((at + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      // Enter chooses (the best match when none was moved to); it never submits the form around it.
      e.preventDefault();
      if (listed) choose(found.matches[at]);
    } else if (e.key === 'Escape') {
      // Esc closes the list, then gives the box back what it showed: it does not reach the page's own Esc.
      if (listed || text !== null) e.stopPropagation();
      if (listed) setOpen(false);
      else setText(null);
    }
  };

  const optionId = (i: number) => `${id}-option-${i}`;
  return (
    <div className={className ? `${styles.find} ${className}` : styles.find}>
      <input
        type="search"
        role="combobox"
        aria-label={label}
        aria-autocomplete="list"
        aria-expanded={listed}
        aria-controls={`${id}-list`}
        aria-activedescendant={listed ? optionId(at) : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={text ?? value ?? ''}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={(e) => e.target.select()}
        onBlur={() => {
          setOpen(false);
          if (value !== undefined) setText(null);
        }}
        onKeyDown={onKeyDown}
      />
      <div className={styles.popup} hidden={!open || query.trim() === ''}>
        <ul id={`${id}-list`} role="listbox" aria-label={`${label}: matches`} className={styles.list} hidden={!listed}>
          {found.matches.map((m, i) => {
            const { title, detail } = describeEntry(m);
            return (
              <li
                key={m.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === at}
                className={i === at ? `${styles.option} ${styles.active}` : styles.option}
                // mousedown, not click: the input keeps the focus (its blur would close the list first).
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(m);
                }}
                onMouseMove={() => i !== at && setActive(i)}
              >
                <span className={styles.kind}>{KIND_WORD[m.kind]}</span>
                <span className={styles.title}>{title}</span>
                <span className={styles.detail}>{detail}</span>
              </li>
            );
          })}
        </ul>
        <p className={styles.more} role="status">
          {countText(query.trim(), found)}
        </p>
      </div>
    </div>
  );
}

/** How many match, or that nothing does (said to a screen reader as it changes). */
function countText(query: string, found: { matches: unknown[]; total: number }): string {
  if (!query) return '';
  if (found.total === 0) return `Nothing here is named “${query}” or has that address.`;
  if (found.total > found.matches.length) return `${found.matches.length} of ${found.total.toLocaleString('en')} matches: type more of the name.`;
  return found.total === 1 ? '1 match' : `${found.total} matches`;
}
