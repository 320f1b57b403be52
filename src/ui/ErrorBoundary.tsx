// Never a blank page: if drawing fails, say so and offer a way back; the saved
// cluster is untouched. What was thrown is podpath's own bug (the engine returns
// Results, it does not throw), and its message is written for us, not for a person
// (it may be an `internal:` one): it goes to the console, the page says it in words.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import styles from './ErrorBoundary.module.css';

export default class ErrorBoundary extends Component<{ children: ReactNode; onReset?: () => void }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('podpath: drawing threw (a bug):', error, info.componentStack);
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className={styles.crash} role="alert">
        <h2>podpath could not draw this part.</h2>
        <p>It stopped on an error of its own: a bug in podpath, not a problem with your cluster, which is saved as it was. Export it to report the bug.</p>
        <button type="button" onClick={() => (this.props.onReset?.(), this.setState({ failed: false }))}>
          Try again
        </button>
      </div>
    );
  }
}
