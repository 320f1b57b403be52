// Keyboard: Space plays/pauses, ←/→ step, Home restarts, Delete removes the
// selection, Ctrl+Z / Ctrl+Shift+Z undo and redo, Esc stops picking; P presents,
// Esc leaves presenter mode.
import { useEffect } from 'react';
import { actions, playground } from './playground.ts';
import { selectHops } from '../store/derived.ts';
import { pickEnd } from './canvas/pick.ts';
import { elementOfId, endOfId } from '../store/ids.ts';
import { leavePresenter, presenter, togglePresenter } from './presenter/presenter.ts';

/** Is the keyboard in a field (where keys type rather than command)? */
export function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

export default function Keys() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      // A modal dialog has the keyboard (a11y/Dialog.tsx): Space presses its button, the arrows do not step the walk behind it.
      if ((e.target as HTMLElement | null)?.closest?.('[aria-modal="true"]')) return;
      const st = actions();
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) playground.temporal.getState().redo();
        else playground.temporal.getState().undo();
        return;
      }
      if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        playground.temporal.getState().redo();
        return;
      }
      // A tab list (the netns terminal's) owns the arrows, Home and End: they move between its tabs.
      if ((e.target as HTMLElement | null)?.closest?.('[role="tablist"]')) return;
      if (e.key === 'Escape' && st.picking) return st.setPicking(null);
      if (e.key === 'Escape' && presenter.getState().presenting) return leavePresenter();
      if ((e.key === 'p' || e.key === 'P') && !mod && !e.altKey) {
        e.preventDefault();
        return togglePresenter();
      }
      // Picking the packet's ends by keyboard: Enter (or Space) on a focused element.
      if (st.picking && (e.key === 'Enter' || e.key === ' ')) {
        const id = (e.target as HTMLElement | null)?.closest?.('.react-flow__node')?.getAttribute('data-id');
        const what = id ? endOfId(id) : null;
        if (what) {
          e.preventDefault();
          e.stopPropagation();
          pickEnd(what);
          return;
        }
      }
      const target = e.target as HTMLElement | null;
      // Delete acts on the canvas selection only: not after a click on a panel button.
      const onCanvas = !target || target === document.body || !!target.closest?.('.react-flow');
      if ((e.key === 'Delete' || e.key === 'Backspace') && onCanvas) {
        // The element with keyboard focus if there is one (Tab moves focus, not the
        // selection); a device box inside a node (cni0, eth0) is not deletable.
        const focused = target?.closest?.('.react-flow__node')?.getAttribute('data-id');
        const what = focused ? elementOfId(focused) : st.selection;
        if (!what) return;
        e.preventDefault();
        st.remove(what.kind, what.key);
        // The focused element is gone: keep the keyboard on the canvas, not on the page.
        document.querySelector<HTMLElement>('[data-canvas]')?.focus();
        return;
      }
      const n = selectHops(st).length;
      if (n === 0) return;
      // While a packet is traced the arrows step it, even with a node focused on the
      // canvas (where React Flow would otherwise nudge the node).
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === ' ') e.stopPropagation();
      const at = Math.min(st.step, n - 1);
      if (e.key === ' ' && (e.target as HTMLElement).tagName !== 'BUTTON') {
        e.preventDefault();
        if (!st.playing && at >= n - 1) st.setStep(0);
        st.setPlaying(!st.playing);
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        st.setStep(Math.min(at + 1, n - 1));
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault();
        st.setStep(Math.max(at - 1, 0));
      } else if (e.key === 'Home') {
        st.setStep(0);
      }
    };
    // Capture phase: before React Flow's own handlers on a focused node.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return null;
}
