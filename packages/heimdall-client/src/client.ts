import DataLoader from 'dataloader';
import { badInputIndex, checkProblem, type Check } from './checks.js';
import { ErrorCode, serviceUnavailable } from '@dataos/errors';
import { parseSettings, setting } from '@dataos/settings';
import {
  ServiceTokenSource,
  serviceCallerFromEnv,
  type ServiceCaller,
  type ServiceCredentials,
} from '@dataos/service-identity';
import { callHeimdall, stderrLog, type TransportLog, type TransportOptions } from './transport.js';
import type { Decision, ObjectRef, RouterAuthorization, Subject } from './types.js';
import { compileGrants, type Grants, type GrantsAnswer } from './grants.js';

const DECIDE_BATCH = /* GraphQL */ `
  query HeimdallDecideBatch($inputs: [DecisionInput!]!) {
    decideBatch(inputs: $inputs) {
      allowed
      policies
      reason
    }
  }
`;
const WHOAMI = /* GraphQL */ `
  query HeimdallWhoami {
    whoami {
      id
      type
      name
      email
      tags
      scopes
      expiresAt
    }
  }
`;
const GRANT_PATTERNS = /* GraphQL */ `
  fragment HeimdallGrantPatterns on GrantPatterns {
    paths
    tags
  }
`;
const GRANTS = /* GraphQL */ `
  query HeimdallGrants($input: GrantsInput!) {
    grants(input: $input) {
      subject
      action
      scope
      allow {
        ...HeimdallGrantPatterns
      }
      deny {
        ...HeimdallGrantPatterns
      }
      needsDecision {
        ...HeimdallGrantPatterns
      }
      version
      validUntil
      policies
    }
  }
  ${GRANT_PATTERNS}
`;
const ROUTER_AUTHORIZATION = /* GraphQL */ `
  query HeimdallRouterAuthorization($policies: [String!]!) {
    routerAuthorization(policies: $policies) {
      authenticated
      reason
      tokenFailure
      scopes
      expiresAt
      policies {
        name
        allowed
        reason
      }
    }
  }
`;

/** Heimdall answers at most this many checks per call. */
const MAX_BATCH = 1000;
/** Heimdall's default for policy names per `routerAuthorization` call (HEIMDALL_ROUTER_MAX_POLICIES). */
const MAX_POLICIES_PER_CALL = 100;
/** How many checks Heimdall may single out as bad in one batch before the rest fails with them. */
const MAX_SPLITS = 5;

const checkKey = ({ action, object }: Check) =>
  `${action}\u0000${object.path ?? ''}\u0000${(object.tags ?? []).join('\u0001')}`;

/** Decisions for one request's caller: every check of a tick goes to Heimdall in one call, and each answer is cached. */
export class HeimdallSession {
  private readonly decisions: DataLoader<Check, Decision, string>;
  private subject?: Promise<Subject>;
  private readonly grantsAsked = new Map<string, Promise<Grants>>();

  constructor(
    private readonly transport: TransportOptions,
    private readonly token: string | undefined,
    private readonly requestId: string | undefined,
  ) {
    this.decisions = new DataLoader<Check, Decision, string>((checks) => this.decideMany(checks), {
      cacheKeyFn: checkKey,
      maxBatchSize: MAX_BATCH,
    });
  }

  /**
   * One tick's checks, from every resolver of the request: each fails alone. Bad checks are
   * refused before the call; a check Heimdall still refuses (it names `inputs[i]`) fails by
   * itself and the others are asked again.
   */
  private async decideMany(checks: readonly Check[]): Promise<(Decision | Error)[]> {
    const problems = checks.map(checkProblem);
    const results: (Decision | Error)[] = problems.map((p) => p ?? new Error('not decided')); // every slot is set below
    let pending = problems.flatMap((p, i) => (p ? [] : [i]));
    for (let splits = 0; pending.length > 0; splits++) {
      try {
        const data = await callHeimdall<{ decideBatch: Decision[] }>(
          this.transport,
          DECIDE_BATCH,
          { inputs: pending.map((i) => ({ action: checks[i]!.action, object: checks[i]!.object })) },
          { token: this.token, requestId: this.requestId },
        );
        pending.forEach((i, j) => (results[i] = data.decideBatch[j]!));
        return results;
      } catch (error) {
        const at = splits < MAX_SPLITS ? badInputIndex(error, pending.length) : null;
        if (at === null) {
          // Heimdall unreachable or failing: every pending check fails, and none stays cached,
          // so a later check in the same request asks again.
          for (const i of pending) {
            this.decisions.clear(checks[i]!);
            results[i] = error as Error;
          }
          return results;
        }
        results[pending[at]!] = error as Error;
        pending = pending.filter((_, j) => j !== at);
      }
    }
    return results;
  }

  decide(action: string, object: ObjectRef): Promise<Decision> {
    return this.decisions.load({ action, object });
  }

  async can(action: string, path: string): Promise<boolean> {
    return (await this.decide(action, { path })).allowed;
  }

  /** The items whose path the caller may act on, in their order; one Heimdall call for all of them. */
  async filterAllowed<T>(items: readonly T[], action: string, objectOf: (item: T) => ObjectRef): Promise<T[]> {
    const decisions = await Promise.all(items.map((item) => this.decide(action, objectOf(item))));
    return items.filter((_, i) => decisions[i]!.allowed);
  }

  /**
   * What the caller (or, with the permission, `subject`) may do with `action` on objects within
   * `scope` (a path glob: `dataos://**`), as patterns checked locally: one call instead of a
   * decision per object. Cached for the request; a failure is not.
   */
  grants(action: string, scope: string, options: { subject?: string } = {}): Promise<Grants> {
    const key = `${action}\u0000${scope}\u0000${options.subject ?? ''}`;
    let asked = this.grantsAsked.get(key);
    if (!asked) {
      asked = callHeimdall<{ grants: GrantsAnswer }>(
        this.transport,
        GRANTS,
        { input: { action, scope, ...(options.subject ? { subject: options.subject } : {}) } },
        { token: this.token, requestId: this.requestId },
      ).then((d) => compileGrants(d.grants));
      asked.catch(() => this.grantsAsked.delete(key));
      this.grantsAsked.set(key, asked);
    }
    return asked;
  }

  /**
   * The items the caller may act on, in their order, by grants: objects the grants settle cost
   * nothing, the others (a condition needs the object) go to Heimdall in one batch.
   */
  async filterByGrants<T>(items: readonly T[], grants: Grants, objectOf: (item: T) => ObjectRef): Promise<T[]> {
    const objects = items.map(objectOf);
    const verdicts = objects.map((o) => grants.check(o));
    const decided = await Promise.all(
      verdicts.map((v, i) => (v === 'decide' ? this.decide(grants.answer.action, objects[i]!) : null)),
    );
    return items.filter((_, i) => verdicts[i] === 'allow' || decided[i]?.allowed === true);
  }

  whoami(): Promise<Subject> {
    this.subject ??= callHeimdall<{ whoami: Subject }>(
      this.transport,
      WHOAMI,
      {},
      {
        token: this.token,
        requestId: this.requestId,
      },
    ).then((d) => d.whoami);
    return this.subject;
  }
}

export interface HeimdallClientOptions {
  /** Heimdall's /graphql; defaults to HEIMDALL_URL or http://localhost:4001/graphql. */
  url?: string;
  timeoutMs?: number;
  /** Where transport failures are logged (they name internal addresses); JSON lines on stderr by default. */
  log?: TransportLog;
  /**
   * For routers: their own client_credentials. `routerAuthorization` then authenticates as the
   * router and sends the end user's token as the subject token; Heimdall answers policy names
   * only to the router's identity (or policy readers). Without them, the user's token is the
   * bearer and every named policy comes back not allowed.
   */
  credentials?: ServiceCredentials;
  /** Policy names per `routerAuthorization` call; more are asked in parallel calls (100, Heimdall's default cap). */
  maxPoliciesPerCall?: number;
  /**
   * This service's own identity, sent to Heimdall beside the caller's token (X-Service-Authorization,
   * audience `dataos-svc:heimdall`); default: SERVICE_CLIENT_ID / SERVICE_CLIENT_SECRET, null for none.
   */
  serviceCaller?: ServiceCaller | null;
}

/** Where a service finds Heimdall, for its own schema (checked with its other settings at start). */
export const HEIMDALL_CLIENT_SETTINGS = {
  HEIMDALL_URL: setting.url({ default: 'http://localhost:4001/graphql' }),
  HEIMDALL_TIMEOUT_MS: setting.durationMs({ default: 2000 }),
};

const codeOf = (error: unknown) => (error as { extensions?: { code?: unknown } }).extensions?.code;

/** One per process; `session()` once per incoming request. */
export class HeimdallClient {
  private readonly transport: TransportOptions;
  private readonly serviceToken: ServiceTokenSource | undefined;
  private readonly maxPolicies: number;

  constructor(options: HeimdallClientOptions = {}) {
    // The environment only for what the caller left out: a bad value there fails here, named.
    const env =
      options.url !== undefined && options.timeoutMs !== undefined
        ? undefined
        : parseSettings(HEIMDALL_CLIENT_SETTINGS);
    this.transport = {
      url: options.url ?? env!.HEIMDALL_URL,
      timeoutMs: options.timeoutMs ?? env!.HEIMDALL_TIMEOUT_MS,
      log: options.log ?? stderrLog,
    };
    const caller = options.serviceCaller === undefined ? serviceCallerFromEnv() : options.serviceCaller;
    if (caller) this.transport.serviceHeaders = () => caller.headers('heimdall');
    this.serviceToken = options.credentials
      ? new ServiceTokenSource(options.credentials, { timeoutMs: this.transport.timeoutMs, log: this.transport.log })
      : undefined;
    this.maxPolicies = Math.max(1, options.maxPoliciesPerCall ?? MAX_POLICIES_PER_CALL);
  }

  get url(): string {
    return this.transport.url;
  }

  session(token: string | undefined, requestId?: string): HeimdallSession {
    return new HeimdallSession(this.transport, token, requestId);
  }

  /**
   * The service's own access token (client_credentials, the one `routerAuthorization` sends), for
   * talking to Heimdall as itself elsewhere (the router's policyChanges subscription); undefined
   * without credentials.
   */
  serviceAccessToken(): Promise<string | undefined> {
    return this.serviceToken ? this.serviceToken.token() : Promise.resolve(undefined);
  }

  /** This service's credential for Heimdall (`x-service-authorization`), for calls made outside this client (WebSocket). */
  serviceHeaders(): Promise<Record<string, string>> {
    return this.transport.serviceHeaders?.() ?? Promise.resolve({});
  }

  /** Fetches the service's own token now (at start), so that the first request does not wait for it. */
  async warmUp(): Promise<void> {
    await Promise.all([this.serviceToken?.token(), this.transport.serviceHeaders?.()]);
  }

  /** For routers: the token holder and the named `@policy` results; never throws on a bad token. */
  async routerAuthorization(
    token: string | undefined,
    policies: string[],
    requestId?: string,
  ): Promise<RouterAuthorization> {
    if (policies.length <= this.maxPolicies) return this.askRouterAuthorization(token, policies, requestId);
    const chunks: string[][] = [];
    for (let i = 0; i < policies.length; i += this.maxPolicies) chunks.push(policies.slice(i, i + this.maxPolicies));
    const answers = await Promise.all(chunks.map((chunk) => this.askRouterAuthorization(token, chunk, requestId)));
    return { ...answers[0]!, policies: answers.flatMap((a) => a.policies) };
  }

  private async askRouterAuthorization(
    token: string | undefined,
    policies: string[],
    requestId?: string,
  ): Promise<RouterAuthorization> {
    const ask = (headers: Parameters<typeof callHeimdall>[3]) =>
      callHeimdall<{ routerAuthorization: RouterAuthorization }>(
        this.transport,
        ROUTER_AUTHORIZATION,
        { policies },
        headers,
      ).then((d) => d.routerAuthorization);
    if (!this.serviceToken) return ask({ token, requestId });
    // The subject token is sent even when empty: Heimdall then answers "not authenticated" for
    // the user, never for the router itself.
    for (let attempt = 0; ; attempt++) {
      const own = await this.serviceToken.token();
      try {
        return await ask({ token: own, subjectToken: token ?? '', requestId });
      } catch (error) {
        const code = codeOf(error);
        if (code === ErrorCode.Unauthenticated && attempt === 0) {
          // Refused although cached as valid (revoked, keys rotated): a new token, once.
          this.serviceToken.invalidate(own);
          continue;
        }
        if (code === ErrorCode.Unauthenticated || code === ErrorCode.Forbidden) {
          // The router's own standing, not the user's: an operator must fix it; users are failed closed.
          this.transport.log(
            { code, message: (error as Error).message, url: this.transport.url, requestId },
            code === ErrorCode.Forbidden
              ? 'Heimdall does not take this service for the router: its identity must match HEIMDALL_ROUTER_TAGS'
              : "Heimdall refused this service's own token",
          );
          throw serviceUnavailable('The authorization service (Heimdall) could not be asked.');
        }
        throw error;
      }
    }
  }
}
