// A bar above the stage while a playground is set aside (the person's own, kept when
// they edited a shared one; see src/store/setAside.ts): switch to it, download it, or
// let it go. Not shown over a lesson or an unedited link (theirs is still the save then).
import { useStore } from 'zustand';
import { discardSetAside, setAside, switchToSetAside } from '../../store/setAside.ts';
import { playground, usePlayground } from '../playground.ts';
import { download } from '../io.ts';
import styles from './SetAside.module.css';

export const SET_ASIDE_FILE = 'podpath-set-aside.json';

export default function SetAside() {
  const text = useStore(setAside, (s) => s.text);
  const hidden = usePlayground((s) => s.inLesson || s.fromLink !== null);
  if (text === null || hidden) return null;
  return (
    <section className={styles.bar} aria-labelledby="set-aside-title">
      <p id="set-aside-title" className={styles.text}>
        Another playground is kept in this browser: set aside when a shared one was edited here.
      </p>
      <div className={styles.actions}>
        <button type="button" onClick={() => void switchToSetAside(playground, localStorage)}>
          Switch to it
        </button>
        <button type="button" onClick={() => download(SET_ASIDE_FILE, text, 'application/json')} title="A save file: Import opens it again">
          Download it
        </button>
        <button type="button" onClick={() => void discardSetAside(localStorage)}>
          Discard it
        </button>
      </div>
    </section>
  );
}
