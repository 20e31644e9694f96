import { Counter, Gauge, type Registry } from 'prom-client';

/** The subscriptions' Prometheus metrics, in the router's registry (served at /metrics with the rest). */
export class SubscriptionMetrics {
  readonly events: Counter<'subgraph'>;
  readonly ended: Counter<'code'>;
  readonly refused: Counter<'code'>;

  constructor(registry: Registry, open: () => number) {
    const registers = [registry];
    new Gauge({
      name: 'router_subscriptions_open',
      help: 'Subscriptions open in this router process, every transport',
      registers,
      collect() {
        this.set(open());
      },
    });
    this.events = new Counter({
      name: 'router_subscription_events_total',
      help: 'Subscription events delivered to clients, by the subgraph that owns the root field',
      labelNames: ['subgraph'],
      registers,
    });
    this.ended = new Counter({
      name: 'router_subscriptions_ended_total',
      help: 'Subscriptions the router ended with an error, by its code (UNAUTHENTICATED, FORBIDDEN, SUBSCRIPTION_SLOW_CONSUMER, ...)',
      labelNames: ['code'],
      registers,
    });
    this.refused = new Counter({
      name: 'router_subscriptions_refused_total',
      help: 'Subscribes refused before anything was opened at a subgraph, by error code',
      labelNames: ['code'],
      registers,
    });
  }
}
