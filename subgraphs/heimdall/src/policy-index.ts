import type { Logger } from '@dataos/subgraph-kit';
import { buildEngine } from './engine/engine.js';
import type { PolicyEngine } from './engine/types.js';
import { toDefinition, type PolicyRepository } from './store/policies.js';
import type { UserTagRepository } from './store/user-tags.js';

/**
 * The compiled policies and the assigned user tags, in memory. Reloaded whole when the version
 * document changes: at once after this replica's own writes, within `pollMs` for the others'.
 */
export class PolicyIndex {
  engine: PolicyEngine = buildEngine([]);
  private userTags = new Map<string, string[]>();
  private loadedVersion = -1;
  private reloading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly policies: PolicyRepository,
    private readonly tags: UserTagRepository,
    private readonly logger: Logger,
  ) {}

  get version(): number {
    return this.loadedVersion;
  }

  assignedTags(subjectId: string): readonly string[] {
    return this.userTags.get(subjectId) ?? [];
  }

  /** Reloads if the stored version moved (single flight: concurrent callers share one reload). */
  refresh(force = false): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const version = await this.policies.version();
        if (!force && version === this.loadedVersion) return;
        const started = performance.now();
        const [docs, userTags] = await Promise.all([this.policies.all(), this.tags.all()]);
        this.engine = buildEngine(docs.map(toDefinition));
        this.userTags = new Map(userTags.map((u) => [u._id, u.tags]));
        this.loadedVersion = version;
        this.logger.info(
          { version, policies: docs.length, users: userTags.length, ms: Math.round(performance.now() - started) },
          'policy index loaded',
        );
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  startPolling(pollMs: number): void {
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.error({ err: error }, 'policy index refresh failed'));
    }, pollMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
