/** Actions a policy can name; `*` is every action. */
export const ACTIONS = ['read', 'write', 'create', 'delete', 'execute', 'manage', '*'] as const;
export type Action = (typeof ACTIONS)[number];

export type Effect = 'allow' | 'deny';

export interface PolicyConditions {
  notBefore?: Date | null;
  notAfter?: Date | null;
  /** UTC hours, from inclusive, to exclusive; from > to spans midnight. */
  hours?: { from: number; to: number } | null;
  /** Every claim must equal (string comparison) the token's claim of that name. */
  claims?: { claim: string; equals: string }[];
  /**
   * Conditions on the object: it must carry the tag `<prefix><the subject's claim>` for each
   * (`dataos:region:` and `region`: a user of region emea reads objects tagged `dataos:region:emea`).
   * They need the object, so grants hand the matching objects back to per-object decisions.
   */
  objectTagFromClaims?: { claim: string; prefix: string }[];
}

/** A policy as stored and as written by people (DataOS shape, plus effect and conditions). */
export interface PolicyDefinition {
  name: string;
  description?: string | null;
  collection?: string | null;
  effect: Effect;
  /** OR of AND sets of tag globs (`roles:id:*`, `users:id:alice`). */
  subjects: string[][];
  actions: string[];
  /** Path globs (`dataos://icebase:retail/**`, `/metis/**`) and object tag globs (`dataos:domain:*`). */
  objects: { paths: string[]; tags: string[] };
  conditions?: PolicyConditions | null;
}

/** Who asks: the subject id, every tag (claims + assigned), and the raw token claims for conditions. */
export interface SubjectContext {
  id: string;
  tags: readonly string[];
  claims: Readonly<Record<string, unknown>>;
}

/** What is accessed: a path, tags, or both. */
export interface ObjectRef {
  path?: string | null;
  tags?: readonly string[] | null;
}

export interface DecisionResult {
  allowed: boolean;
  /** Deciding policies: the matching deny policies when denied by policy, else the matching allow policies. */
  policies: string[];
  /** A sentence a person understands. */
  reason: string;
}

export interface NamedPolicyResult {
  name: string;
  allowed: boolean;
  reason: string;
}

export interface PolicyEngine {
  readonly size: number;
  /** Every policy, as loaded (one array per load: grants cache their preparation by it). */
  readonly definitions: readonly PolicyDefinition[];
  decide(subject: SubjectContext, action: string, object: ObjectRef, now?: Date): DecisionResult;
  /** For the router's `@policy`: does each named policy pass for this subject? */
  evaluateNamed(subject: SubjectContext, names: readonly string[], now?: Date): NamedPolicyResult[];
  get(name: string): PolicyDefinition | undefined;
}

/** A problem with one field of a policy; the GraphQL layer turns it into BAD_USER_INPUT. */
export class PolicyValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyValidationError';
  }
}
