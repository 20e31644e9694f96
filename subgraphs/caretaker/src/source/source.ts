import type { ClusterEvent } from '../model.js';

/** Where watch events go: buffered, then written in bulk. */
export interface EventSink {
  push(events: ClusterEvent[]): void;
  /**
   * After a successful full listing: the keys (`namespace/name` for pods, names for nodes) that
   * existed at the list's resourceVersion. Objects Caretaker holds as alive, not newer than the
   * list and missing from it were deleted while nobody watched.
   */
  relisted(kind: 'Pod' | 'Node', present: ReadonlySet<string>, listResourceVersion: number): Promise<void>;
}

/** A feed of pod and node events (Kubernetes informers in production). */
export interface PodSource {
  readonly description: string;
  /** Resolves once the initial listing was delivered to the sink. */
  start(sink: EventSink): Promise<void>;
  stop(): Promise<void>;
}
