import type { Principal } from '@dataos/auth';
import type { Logger } from '@dataos/subgraph-kit';
import { buildEngine } from './engine/engine.js';
import type { PolicyEngine, SubjectContext } from './engine/types.js';
import { toDefinition, type PolicyRepository } from './store/policies.js';
import type { UserTagRepository } from './store/user-tags.js';

export interface RefreshOptions {
  /** Return only once a load of at least this version is in memory (a writer's own bump). */
  minVersion?: number;
  /** Reload even if the version did not move (the periodic safety net, start-up). */
  force?: boolean;
}

interface Reload {
  /** Reloads are numbered in start order: one numbered above a caller's snapshot started after its call. */
  seq: number;
  force: boolean;
  done: Promise<void>;
}

/** What the index tells the rest of Heimdall: sightings of subjects, and where the change feed stood. */
export interface PolicyIndexHooks {
  /** A principal seen for the first time in this load (its token's tags, for decisions about it). */
  onSubject?: (principal: Principal, claimNames: ReadonlySet<string>) => void;
  /** The `policyChanges` sequence this replica has read (read before a load: every change up to it is loaded). */
  sequence?: () => Promise<number>;
}

/** Bounds the loop of a writer waiting for its version; past it the poll catches up. */
const MAX_RELOADS_PER_REFRESH = 5;

/**
 * The compiled policies and the assigned user tags, in memory. Reloaded whole when the version
 * document changes: at once after this replica's own writes, within `pollMs` for the others',
 * and unconditionally every `fullReloadMs` in case a version bump was lost.
 */
export class PolicyIndex {
  engine: PolicyEngine = buildEngine([]);
  private userTags = new Map<string, string[]>();
  private loadedVersion = -1;
  private seq = 0;
  private reloading: Reload | undefined;
  private timers: NodeJS.Timeout[] = [];
  /** Subjects by principal (verified principals are cached per token), valid for one load. */
  private subjects = new WeakMap<Principal, SubjectContext>();
  /** The policy version of the load in memory, as the `policyChanges` sequence. */
  private loadedSequence = 0;
  /** Claim names policy conditions compare: what a subject profile keeps of a token. */
  private claimNames: ReadonlySet<string> = new Set();

  constructor(
    private readonly policies: PolicyRepository,
    private readonly tags: UserTagRepository,
    private readonly logger: Logger,
    private readonly hooks: PolicyIndexHooks = {},
  ) {}

  /**
   * The policy version clients see (grants, dry runs): the `policyChanges` sequence this replica
   * had read before the load in memory began, so every change up to it is loaded (a change is
   * recorded after its write). It trails a change already loaded until the feed and the index have
   * polled again: a client then refreshes once too often, never too seldom.
   */
  get sequence(): number {
    return this.loadedSequence;
  }

  get version(): number {
    return this.loadedVersion;
  }

  assignedTags(subjectId: string): readonly string[] {
    return this.userTags.get(subjectId) ?? [];
  }

  /**
   * The subject a decision is about: the token's tags plus those assigned in Heimdall. The same
   * object (and tag array) for every check of a principal until the next load, so the engine's
   * per-subject glob memo is hit across a batch and across requests with the same token.
   */
  subjectFor(principal: Principal): SubjectContext {
    let subject = this.subjects.get(principal);
    if (!subject) {
      const assigned = this.assignedTags(principal.id);
      subject = {
        id: principal.id,
        tags: assigned.length ? [...new Set([...principal.tags, ...assigned])] : principal.tags,
        claims: principal.claims,
      };
      this.subjects.set(principal, subject);
      this.hooks.onSubject?.(principal, this.claimNames);
    }
    return subject;
  }

  /**
   * Brings the index up to date. Without options it shares any reload in flight (polling). With
   * `minVersion` it returns only after a load of at least that version: a reload in flight may
   * have read the version before the caller's write, so it is awaited and another one chained.
   * With `force` it waits for a full reload that started after the call.
   */
  async refresh(options: RefreshOptions = {}): Promise<void> {
    const { minVersion, force = false } = options;
    const calledAt = this.seq;
    const fresh = (r: Reload) => r.seq > calledAt && (!force || r.force);
    for (let i = 0; i < MAX_RELOADS_PER_REFRESH; i++) {
      if (!force && minVersion !== undefined && this.loadedVersion >= minVersion) return;
      const reload = this.reloading ?? this.startReload(force);
      if (!fresh(reload)) {
        // Started before this call: good enough for a poll, not for a writer or a forced reload.
        await reload.done.catch((error: unknown) => {
          if (minVersion === undefined && !force) throw error;
        });
        if (minVersion === undefined && !force) return;
        continue;
      }
      await reload.done;
      if (minVersion === undefined || this.loadedVersion >= minVersion) return;
      // The store answered a version below the caller's own bump (a lagging read): try again.
    }
    this.logger.warn(
      { minVersion, loaded: this.loadedVersion },
      'policy index did not reach the written version; polling will',
    );
  }

  private startReload(force: boolean): Reload {
    const reload: Reload = { seq: ++this.seq, force, done: Promise.resolve() };
    reload.done = this.load(force).finally(() => {
      if (this.reloading === reload) this.reloading = undefined;
    });
    this.reloading = reload;
    return reload;
  }

  private async load(force: boolean): Promise<void> {
    // The version is read before the documents, so what is loaded is at least that version.
    const sequence = (await this.hooks.sequence?.()) ?? 0;
    const version = await this.policies.version();
    if (!force && version === this.loadedVersion) {
      this.loadedSequence = Math.max(this.loadedSequence, sequence);
      return;
    }
    const started = performance.now();
    const [docs, userTags] = await Promise.all([this.policies.all(), this.tags.all()]);
    this.engine = buildEngine(docs.map(toDefinition));
    this.claimNames = new Set(
      docs.flatMap((d) =>
        [...(d.conditions?.claims ?? []), ...(d.conditions?.objectTagFromClaims ?? [])].map((c) => c.claim),
      ),
    );
    this.loadedSequence = sequence;
    this.userTags = new Map(userTags.map((u) => [u._id, u.tags]));
    this.subjects = new WeakMap();
    this.loadedVersion = version;
    this.logger.info(
      { version, policies: docs.length, users: userTags.length, ms: Math.round(performance.now() - started), force },
      'policy index loaded',
    );
  }

  /**
   * Polls the version every `pollMs`, and reloads everything every `fullReloadMs` (0 disables):
   * the safety net for a write whose version bump never reached the store.
   */
  startPolling(pollMs: number, fullReloadMs = 0): void {
    const run = (options: RefreshOptions) => () => {
      this.refresh(options).catch((error: unknown) =>
        this.logger.error({ err: error, ...options }, 'policy index refresh failed'),
      );
    };
    this.timers.push(setInterval(run({}), pollMs).unref());
    if (fullReloadMs > 0) this.timers.push(setInterval(run({ force: true }), fullReloadMs).unref());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }
}
