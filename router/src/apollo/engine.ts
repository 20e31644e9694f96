import { createRequire } from 'node:module';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { Logger } from 'pino';
import type { OperationAuthorizer } from '../authz/authorize.js';
import type { RouterContext } from '../context.js';
import { missingInternals, type ApolloInternals } from './internals.js';

/** What Apollo Server calls its `gateway` option: schema loading plus an executor. */
type ApolloServerEngine = ApolloServerOptionsWithGateway<RouterContext>['gateway'];

/**
 * Which executor runs operations (ROUTER_EXECUTOR): `auto` the router's own when Apollo Gateway
 * has what it reads, else Apollo Gateway's (warned once); `router` the router's own or no start;
 * `apollo` always Apollo Gateway's (stock execution, for comparison or as a way out).
 */
export type ExecutorSetting = 'auto' | 'router' | 'apollo';
export const EXECUTOR_SETTINGS: readonly ExecutorSetting[] = ['auto', 'router', 'apollo'];

export interface ApolloEngineOptions {
  executor: ExecutorSetting;
  logger: Logger;
  /** Where the internals are read from (the Apollo Gateway itself; tests give a stand-in for another version). */
  internalsOf?: (apollo: ApolloGateway) => unknown;
}

/** The installed `@apollo/gateway` version, for messages (unknown if its package.json is closed). */
function apolloVersion(): string {
  try {
    return (createRequire(import.meta.url)('@apollo/gateway/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Apollo Gateway (`@apollo/gateway`) as the router uses it: Apollo Server's `gateway`, with
 * authorization (and the router's executor) in front of its executor, and the one place that
 * reads its private fields. They are checked once loaded: a version that lacks them fails the
 * start or falls back to Apollo Gateway's own execution, as ROUTER_EXECUTOR says. "Gateway"
 * alone means the Gateway subgraph in this repository; the library is always Apollo Gateway.
 */
export class ApolloEngine {
  private usable = false;

  constructor(
    private readonly apollo: ApolloGateway,
    private readonly options: ApolloEngineOptions,
  ) {}

  /** Apollo Gateway's fields the router's executor reads; undefined when it must not run (setting, failed check). */
  internals(): Partial<ApolloInternals> | undefined {
    return this.usable ? (this.view() as Partial<ApolloInternals>) : undefined;
  }

  private view(): unknown {
    return this.options.internalsOf ? this.options.internalsOf(this.apollo) : this.apollo;
  }

  /** Decides, once Apollo Gateway has loaded, whether the router's executor may run. */
  private check(loadedSchema: ApolloInternals['schema']): void {
    const { executor, logger } = this.options;
    if (executor === 'apollo') {
      logger.info("ROUTER_EXECUTOR=apollo: every operation runs on Apollo Gateway's own executor");
      return;
    }
    const missing = missingInternals(this.view(), loadedSchema);
    if (missing.length === 0) {
      this.usable = true;
      return;
    }
    const version = apolloVersion();
    if (executor === 'router') {
      throw new Error(
        `ROUTER_EXECUTOR=router, but @apollo/gateway ${version} lacks what the router's executor reads: ${missing.join('; ')}. Pin @apollo/gateway 2.14 or set ROUTER_EXECUTOR=auto (Apollo Gateway's executor then runs everything)`,
      );
    }
    logger.warn(
      { missing, apolloGateway: version },
      "Apollo Gateway lacks what the router's executor reads: every operation runs on Apollo Gateway's own executor (ROUTER_EXECUTOR=auto)",
    );
  }

  /** Apollo Server's `gateway` option, its executor behind `authorizer`. */
  serverGateway(authorizer: OperationAuthorizer): ApolloServerEngine {
    const { apollo } = this;
    return {
      onSchemaLoadOrUpdate: (callback) => apollo.onSchemaLoadOrUpdate(callback),
      load: async (options) => {
        const loaded = await apollo.load(options);
        this.check(loaded.schema);
        return { ...loaded, executor: loaded.executor ? authorizer.wrap(loaded.executor) : null };
      },
      stop: () => apollo.stop(),
    };
  }
}
