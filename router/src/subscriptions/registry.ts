import type { Logger } from 'pino';
import { tokenHash } from '../authz/decision-cache.js';
import type { CallerAuthorization } from '../authz/evaluate.js';
import { SubscriptionCode, ending } from './ending.js';
import type { LiveSubscription } from './live.js';
import type { SubscriptionSettings } from './settings.js';

/** Asks Heimdall afresh (no cache) about a token: what re-checks use. */
export type FreshDecision = (
  authorization: string | undefined,
  policies: readonly string[],
  requestId: string,
) => Promise<CallerAuthorization>;

/** Tokens re-checked at once: bounded so a policy change does not flood Heimdall. */
const RECHECK_CONCURRENCY = 8;

/**
 * The subscriptions open in this router process: the per-token and total limits, and the
 * re-check of every subscription's authorization (on a policy change, and on a timer), one
 * Heimdall call per distinct token however many subscriptions it has.
 */
export class SubscriptionRegistry {
  private readonly byToken = new Map<string, Set<LiveSubscription>>();
  private readonly keys = new WeakMap<LiveSubscription, string>();
  private count = 0;
  private rechecking: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: SubscriptionSettings,
    private readonly fresh: FreshDecision,
    private readonly logger: Logger,
  ) {
    if (settings.recheckMs > 0) {
      this.timer = setInterval(() => void this.recheckAll('timer'), settings.recheckMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.count;
  }

  /** Why one more subscription with this token may not open, or undefined. */
  refusal(token: string | undefined) {
    if (this.count >= this.settings.total)
      return ending(
        `The router serves at most ${this.settings.total} subscriptions at once; try again later.`,
        SubscriptionCode.TooMany,
        { limit: this.settings.total },
      );
    const key = token ? tokenHash(token) : '';
    if ((this.byToken.get(key)?.size ?? 0) >= this.settings.perToken)
      return ending(
        `A token may hold at most ${this.settings.perToken} subscriptions at once; complete one first.`,
        SubscriptionCode.TooMany,
        { limit: this.settings.perToken },
      );
    return undefined;
  }

  add(subscription: LiveSubscription): void {
    const key = subscription.token ? tokenHash(subscription.token) : '';
    let set = this.byToken.get(key);
    if (!set) this.byToken.set(key, (set = new Set()));
    if (set.has(subscription)) return;
    set.add(subscription);
    this.keys.set(subscription, key);
    this.count++;
  }

  remove(subscription: LiveSubscription): void {
    const key = this.keys.get(subscription);
    if (key === undefined) return;
    const set = this.byToken.get(key);
    if (!set?.delete(subscription)) return;
    this.count--;
    if (set.size === 0) this.byToken.delete(key);
  }

  /** Asks Heimdall again for every open subscription; calls during a run make one more run after it. */
  recheckAll(why: string): Promise<void> {
    if (this.rechecking) {
      this.again = true;
      return this.rechecking;
    }
    this.rechecking = this.run(why).finally(() => {
      this.rechecking = undefined;
      if (this.again) {
        this.again = false;
        void this.recheckAll(why);
      }
    });
    return this.rechecking;
  }

  private async run(why: string) {
    const groups = [...this.byToken.entries()].filter(([key]) => key !== '');
    if (groups.length === 0) return;
    this.logger.debug({ why, tokens: groups.length, subscriptions: this.count }, 're-checking subscriptions');
    let next = 0;
    const worker = async () => {
      while (next < groups.length) {
        const [, set] = groups[next++]!;
        const subscriptions = [...set];
        const first = subscriptions[0];
        if (!first) continue;
        const policies = [...new Set(subscriptions.flatMap((s) => s.policyNames))].sort();
        const caller = await this.fresh(first.context.authorization, policies, first.context.requestId);
        for (const subscription of subscriptions) subscription.recheck(caller);
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, groups.length) }, worker));
  }

  /** Ends every subscription with `error` (shutdown). */
  endAll(error: () => ReturnType<typeof ending>): void {
    if (this.timer) clearInterval(this.timer);
    for (const set of [...this.byToken.values()]) for (const subscription of [...set]) subscription.end(error());
  }
}
