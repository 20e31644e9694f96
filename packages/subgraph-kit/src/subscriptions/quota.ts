/**
 * Counts open subscriptions per key (a subject, a connection) against a limit. Keys at zero
 * are forgotten, so the map holds only keys with something open.
 */
export class SubscriptionQuota {
  private readonly open = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Takes one slot for `key`; false when it has `limit` open already. */
  acquire(key: string): boolean {
    const n = this.open.get(key) ?? 0;
    if (n >= this.limit) return false;
    this.open.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.open.get(key) ?? 0;
    if (n <= 1) this.open.delete(key);
    else this.open.set(key, n - 1);
  }

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }

  /** Keys with at least one subscription open. */
  get keys(): number {
    return this.open.size;
  }
}
