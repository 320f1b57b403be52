// Presenter mode: a state of the page, not of the cluster. It is never saved, never
// undone, and never part of a shared link: a projector's view of the same walk.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export interface PresenterState {
  /** The canvas and the walk fill the screen in large type; the editing panels are gone. */
  presenting: boolean;
}

export const presenter = createStore<PresenterState>(() => ({ presenting: false }));

export function usePresenting(): boolean {
  return useStore(presenter, (s) => s.presenting);
}

export function present(): void {
  presenter.setState({ presenting: true });
}

export function leavePresenter(): void {
  presenter.setState({ presenting: false });
}

export function togglePresenter(): void {
  presenter.setState((s) => ({ presenting: !s.presenting }));
}
