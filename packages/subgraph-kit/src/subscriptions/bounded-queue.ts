import { SlowConsumerError } from './close-codes.js';

/**
 * The buffer between a shared event source and one subscriber: an async iterator holding at
 * most `limit` items. A subscriber that falls further behind is failed (SlowConsumerError)
 * rather than buffered without end: memory per subscriber is bounded whatever the client does.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private done = false;
  private error: unknown = null;

  constructor(
    readonly limit: number,
    /** Called once when the consumer returns (unsubscribes) or the queue ends. */
    private readonly onClose: () => void = () => {},
  ) {}

  get size(): number {
    return this.items.length;
  }

  get closed(): boolean {
    return this.done;
  }

  /** Adds an item; false (and the queue failed) when the subscriber already has `limit` waiting. */
  push(item: T): boolean {
    if (this.done) return false;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.limit) {
      this.fail(new SlowConsumerError(this.limit));
      return false;
    }
    this.items.push(item);
    return true;
  }

  /** Ends the stream with an error, delivered after nothing else: what is buffered is dropped. */
  fail(error: unknown): void {
    if (this.done) return;
    this.items.length = 0;
    this.error = error;
    this.finish();
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = this.failWaiting = null;
      this.error = null;
      reject(error);
    }
  }

  /** Ends the stream normally once the buffered items are read. */
  end(): void {
    if (this.done) return;
    this.finish();
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.error !== null) {
      const error = this.error;
      this.error = null;
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.error = null;
    this.finish();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
  }
}
