// Never a blank page: if drawing fails, say so and offer a way back; the saved
// cluster is untouched.
import { Component, type ReactNode } from 'react';

export default class ErrorBoundary extends Component<{ children: ReactNode; onReset?: () => void }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <h2>Something went wrong drawing this.</h2>
        <p>{this.state.error.message}</p>
        <button type="button" onClick={() => (this.props.onReset?.(), this.setState({ error: null }))}>
          Try again
        </button>
      </div>
    );
  }
}
