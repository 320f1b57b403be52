// Advances playback while Play is on, one hop per tick at the chosen speed.
import { useEffect } from 'react';
import { actions, usePlayground } from './playground.ts';
import { selectHops } from '../store/derived.ts';

export default function Player() {
  const playing = usePlayground((s) => s.playing);
  const speed = usePlayground((s) => s.speed);
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => {
      const st = actions();
      const n = selectHops(st).length;
      if (st.step >= n - 1) st.setPlaying(false);
      else st.setStep(st.step + 1);
    }, 1000 / speed);
    return () => clearInterval(t);
  }, [playing, speed]);
  return null;
}
