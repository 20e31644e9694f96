import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ApolloGateway, SupergraphSdlHook } from '@apollo/gateway';
import { parse, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { NO_COST_DIRECTIVES, costDirectivesOf, type CostDirectives } from '@dataos/operation-walker';
import { EMPTY_INDEX, authzIndexFromSupergraph, indexIsEmpty, type AuthzIndex } from '../authz/requirements.js';
import { loadSupergraph } from './load.js';
import { subgraphsOf } from './subgraphs.js';

interface Loaded {
  plannerSdl: string;
  loadedAt: Date;
  index: AuthzIndex;
  costs: CostDirectives;
  subgraphs: { name: string; url: string }[];
}

/**
 * The supergraph file, for Apollo Gateway (`supergraphSdl` hook), for authorization (the
 * directives the planner's copy lacks) and for the cost estimate (`@cost` and `@listSize`,
 * which the API schema requests are validated against does not keep). The file is watched; a new version replaces the old
 * one only when it loads, and requests in flight finish on the version they started with.
 */
export class SupergraphSource {
  private current?: Loaded;
  /** The index of the supergraph being handed to Apollo Gateway, until it says it took it. */
  private pending?: AuthzIndex;
  private readonly indexBySchema = new WeakMap<GraphQLSchema, AuthzIndex>();
  private pendingCosts?: CostDirectives;
  private readonly costsBySchema = new WeakMap<GraphQLSchema, CostDirectives>();
  /** The schema Apollo Gateway serves now (the last one it announced). */
  private schema?: GraphQLSchema;
  private update?: (sdl: string) => void;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private reloading: Promise<boolean> = Promise.resolve(true);

  constructor(
    private readonly path: string,
    private readonly resolveUrl: (name: string, url: string) => string,
    private readonly logger: Logger,
    private readonly onReload?: (ok: boolean) => void,
  ) {}

  /** The subgraphs of the supergraph in use, with overridden URLs. */
  get subgraphs(): { name: string; url: string }[] {
    return this.current?.subgraphs ?? [];
  }

  /** When the supergraph in use was read; undefined until the first one is. */
  get loadedAt(): Date | undefined {
    return this.current?.loadedAt;
  }

  /** Whether the supergraph in use has any authorization directive (then Heimdall is needed). */
  get hasAuthorization(): boolean {
    return this.current ? !indexIsEmpty(this.current.index) : false;
  }

  /** The authorization index for the schema a request runs on. */
  indexFor(schema: GraphQLSchema): AuthzIndex {
    return this.indexBySchema.get(schema) ?? this.current?.index ?? EMPTY_INDEX;
  }

  /** The demand-control directives for the schema a request runs on. */
  costsFor(schema: GraphQLSchema): CostDirectives {
    return this.costsBySchema.get(schema) ?? this.current?.costs ?? NO_COST_DIRECTIVES;
  }

  /** Must be called before Apollo Gateway loads: maps each schema it builds to its directives. */
  attach(apollo: ApolloGateway): void {
    apollo.onSchemaLoadOrUpdate(({ apiSchema }) => {
      this.schema = apiSchema;
      if (this.pending) this.indexBySchema.set(apiSchema, this.pending);
      if (this.pendingCosts) this.costsBySchema.set(apiSchema, this.pendingCosts);
    });
  }

  private async read(): Promise<Loaded> {
    const { sdl, plannerSdl } = await loadSupergraph(this.path);
    const document = parse(sdl);
    return {
      plannerSdl,
      loadedAt: new Date(),
      index: authzIndexFromSupergraph(document),
      costs: costDirectivesOf(document),
      subgraphs: subgraphsOf(plannerSdl).map((s) => ({ ...s, url: this.resolveUrl(s.name, s.url) })),
    };
  }

  readonly hook: SupergraphSdlHook = async ({ update }) => {
    const initial = await this.read();
    this.pending = initial.index;
    this.pendingCosts = initial.costs;
    this.current = initial;
    this.update = update;
    this.startWatching();
    return {
      supergraphSdl: initial.plannerSdl,
      cleanup: async () => this.stopWatching(),
    };
  };

  /** Loads the file again; false (and the previous supergraph stays) when it does not load. */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.reloadNow());
    return this.reloading;
  }

  private async reloadNow(): Promise<boolean> {
    if (!this.update) return false;
    let next: Loaded;
    try {
      next = await this.read();
    } catch (error) {
      this.logger.error({ err: error, path: this.path }, 'supergraph reload failed; keeping the previous one');
      this.onReload?.(false);
      return false;
    }
    this.pending = next.index;
    this.pendingCosts = next.costs;
    const before = this.schema;
    try {
      this.update(next.plannerSdl);
    } catch (error) {
      this.pending = this.current?.index;
      this.pendingCosts = this.current?.costs;
      this.logger.error(
        { err: error, path: this.path },
        'supergraph reload refused by Apollo Gateway; keeping the previous one',
      );
      this.onReload?.(false);
      return false;
    }
    // A change to the security directives alone leaves the planner's copy as it was: the
    // Apollo Gateway sees no change and builds no new schema, so the schema in use takes the new
    // directives here (operations prepared on it are analyzed again, see OperationAuthorizer).
    if (this.schema && this.schema === before) this.indexBySchema.set(this.schema, next.index);
    this.current = next;
    this.logger.info({ path: this.path }, 'supergraph reloaded');
    this.onReload?.(true);
    return true;
  }

  /** Watches the folder (editors and `mv` replace the file, which a watch on the file itself misses). */
  private startWatching(): void {
    const file = basename(this.path);
    try {
      this.watcher = watch(dirname(resolve(this.path)), (_event, name) => {
        if (name !== null && name !== file) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(), 100);
      });
      this.watcher.on('error', (error) => this.logger.warn({ err: error }, 'supergraph watch failed'));
    } catch (error) {
      this.logger.warn({ err: error, path: this.path }, 'cannot watch the supergraph file; no reloads');
    }
  }

  private stopWatching(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
