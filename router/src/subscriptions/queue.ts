/**
 * A bounded queue between a subscription's events (pushed as they come from the subgraph) and
 * its transport (pulling as fast as the client reads). It never grows past `max` items: one
 * more means the client does not keep up, and the subscription ends (see `overflow`).
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((error: unknown) => void) | undefined;
  private failure: unknown;
  private ended = false;
  private closed = false;

  constructor(
    private readonly max: number,
    /** Called once when the consumer stops (return, error, end): release what feeds the queue. */
    private readonly onClose: () => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** Adds an event; false (and nothing added) when the queue is full. */
  push(item: T): boolean {
    if (this.closed || this.ended || this.failure !== undefined) return true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.max) return false;
    this.items.push(item);
    return true;
  }

  /** Ends the stream after what is queued. */
  end(): void {
    if (this.ended || this.failure !== undefined) return;
    this.ended = true;
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: undefined, done: true });
      this.close();
    }
  }

  /** Ends the stream now with `error`: queued events are dropped (an expired token sees no more). */
  fail(error: unknown): void {
    if (this.closed || this.failure !== undefined) return;
    this.failure = error;
    this.items.length = 0;
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.clearWaiting();
      reject(error);
      this.close();
    }
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.failure !== undefined) {
      const error = this.failure;
      this.close();
      if (error === CLOSED) return { value: undefined, done: true };
      throw error;
    }
    if (this.items.length) return { value: this.items.shift()!, done: false };
    if (this.ended || this.closed) {
      this.close();
      return { value: undefined, done: true };
    }
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: undefined, done: true });
    }
    this.close();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    this.close();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private clearWaiting() {
    this.waiting = undefined;
    this.failWaiting = undefined;
  }

  private close() {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}

/** A failure that ends the stream quietly (done, no error). */
export const CLOSED = Symbol('closed');
