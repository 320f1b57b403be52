// The Lessons button; its list (LessonList.tsx) loads when the button is first pressed
// (or pointed at, or focused: it is usually there by the press).
import { Suspense, useRef, useState } from 'react';
import { onDemand } from '../later.ts';
import styles from './Lessons.module.css';

const { Part: LessonList, preload: preloadLessonList } = onDemand(() => import('./LessonList.tsx'));
const preload = () => void preloadLessonList().catch(() => {});
export { preloadLessonList };

/** The toolbar's Lessons button. */
export default function LessonsButton() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={button} type="button" className={styles.button} data-lessons-button aria-haspopup="dialog" aria-expanded={open} onPointerEnter={preload} onFocus={preload} onClick={() => setOpen(true)}>
        Lessons
      </button>
      {/* The dialog is portalled outside the toolbar (a11y/Dialog.tsx): its styles are the toolbar's. */}
      {open && (
        <Suspense fallback={null}>
          <LessonList onClose={() => setOpen(false)} returnFocus={() => button.current} />
        </Suspense>
      )}
    </>
  );
}
