// The walk's voice for screen readers: a polite live region, mounted once for the
// whole page (so no layout that hides a panel silences it), that says each hop as the
// packet reaches it and the verdict at the end. It stays quiet on the first render: a
// page opened on a saved step does not speak until the person moves.
import { useEffect, useRef, useState } from 'react';
import { usePlayground } from '../playground.ts';
import { announcementOf } from './announce.ts';
import a11y from './a11y.module.css';

export default function HopAnnouncer() {
  const now = usePlayground(announcementOf);
  const [said, setSaid] = useState('');
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setSaid(now);
  }, [now]);
  return (
    // A bare live region, not role="status": the page's statuses (a verdict, a saved file) are things a person looks for; this only speaks.
    <div className={a11y.visuallyHidden} aria-live="polite" aria-atomic="true" data-announcer>
      {said}
    </div>
  );
}
