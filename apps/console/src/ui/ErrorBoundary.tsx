import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** What failed, for the message ("the lineage graph"). */
  what?: string;
}

/** A rendering bug in one part shows a message there instead of blanking the whole console. */
export class ErrorBoundary extends Component<Props, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="notice notice-error" role="alert">
        Something went wrong while showing {this.props.what ?? 'this part'}: {this.state.error.message}
      </div>
    );
  }
}
