/**
 * A request's store calls in flight, so that a batch to another service (Metis, Heimdall) waits
 * until the store has answered the whole wave of sibling fields.
 *
 * DataLoader's default (end of the microtask run) or `setImmediate` batch only what one I/O
 * callback wakes: two sibling fields whose store queries answer in different I/O callbacks then
 * send two batches, and how many depends on timing. Dispatching only when no store call of the
 * request is pending makes the number of batches a function of the query, not of the clock; it is
 * the breadth-first strategy of batch executors (graphql-batch's lazy resolution).
 */
export class StoreActivity {
  private pending = 0;
  private waiting: (() => void)[] = [];
  private flushQueued = false;

  /** Counts `work` as in flight until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending++;
    return work.finally(() => {
      this.pending--;
      if (this.pending === 0) this.flushSoon();
    });
  }

  /** A DataLoader `batchScheduleFn`: dispatch once the store is quiet and woken resolvers have run. */
  readonly schedule = (dispatch: () => void): void => {
    this.waiting.push(dispatch);
    this.flushSoon();
  };

  /** `target` with every promise-returning method counted as store activity. */
  wrap<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (object, key) => {
        const value: unknown = Reflect.get(object, key, object);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
          return result instanceof Promise ? this.track(result) : result;
        };
      },
    });
  }

  // setImmediate runs after the I/O callbacks and microtasks in progress, so resolvers woken by
  // the last store answer have asked for what they need before the batch goes.
  private flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      if (this.pending > 0 || !this.waiting.length) return;
      const ready = this.waiting;
      this.waiting = [];
      for (const dispatch of ready) dispatch();
    });
  }
}
