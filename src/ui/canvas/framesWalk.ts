// Is the view framed on the walk's path rather than the whole cluster? Presenting (a
// projector: large type, framed tight) and on a phone (a shared link opened in class:
// the whole cluster would be too small to read). The canvas frames the path, and the
// packet's label slides sideways to stay whole inside that tight frame: one decision.
import { usePresenting } from '../presenter/presenter.ts';
import { useBreakpoint } from '../narrow/breakpoint.ts';

export function useFramesWalk(): boolean {
  const presenting = usePresenting();
  const phone = useBreakpoint() === 'phone';
  return presenting || phone;
}
