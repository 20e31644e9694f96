import { GraphQLError } from 'graphql';
import { ErrorCode } from '@dataos/errors';
import { parseSettings, setting } from '@dataos/settings';
import type { OperationShape } from './measure.js';

/** `extensions.code` of each refusal; the same at the router and at every subgraph. */
export const LimitCode = {
  MaxSelectionsExceeded: ErrorCode.MaxSelectionsExceeded,
  MaxDepthExceeded: ErrorCode.MaxDepthExceeded,
  MaxAliasesExceeded: ErrorCode.MaxAliasesExceeded,
  MaxRootFieldsExceeded: ErrorCode.MaxRootFieldsExceeded,
  MaxCostExceeded: ErrorCode.MaxCostExceeded,
  MaxIntrospectionDepthExceeded: ErrorCode.MaxIntrospectionDepthExceeded,
} as const;

export interface OperationLimits {
  /** 0 turns a limit off. */
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxCost: number;
  /** Selections after fragment expansion (MAX_SELECTIONS). */
  maxSelections: number;
  /** Assumed length of a list field without a `first`/`limit` argument (COST_DEFAULT_LIST_SIZE). */
  defaultListSize: number;
  /** Deepest nesting inside `__schema` / `__type` (counting them as 1). */
  maxIntrospectionDepth: number;
  /** Most lexical tokens in a document: a longer one is refused while parsing (MAX_TOKENS). */
  maxTokens: number;
}

/**
 * List fields nested in one introspection selection (`types { fields { args } }` is 3, as
 * the standard introspection query): as Apollo Router, no more, since each level multiplies
 * the answer by the size of the schema.
 */
export const MAX_INTROSPECTION_LIST_DEPTH = 3;

/** Defaults, documented in router/README.md ("Protection"). */
export const DEFAULT_LIMITS: Readonly<OperationLimits> = Object.freeze({
  maxDepth: 15,
  maxAliases: 30,
  maxRootFields: 20,
  maxCost: 10_000,
  // As many selections as a flat document within the token limit can hold: expanding
  // fragments never lets a document cost more than one that spells its selections out.
  maxSelections: 10_000,
  defaultListSize: 10,
  maxIntrospectionDepth: 20,
  maxTokens: 15_000,
});

/** One integer variable per limit, 0 turning it off; the router and every subgraph read the same ones. */
const limit = (key: keyof OperationLimits) => setting.int({ min: 0, default: DEFAULT_LIMITS[key] });
export const LIMIT_SETTINGS = {
  MAX_DEPTH: limit('maxDepth'),
  MAX_ALIASES: limit('maxAliases'),
  MAX_ROOT_FIELDS: limit('maxRootFields'),
  MAX_COST: limit('maxCost'),
  MAX_SELECTIONS: limit('maxSelections'),
  COST_DEFAULT_LIST_SIZE: limit('defaultListSize'),
  MAX_INTROSPECTION_DEPTH: limit('maxIntrospectionDepth'),
  MAX_TOKENS: limit('maxTokens'),
};

/** The limits out of values parsed with LIMIT_SETTINGS (a service's own schema may include them). */
export const limitsOf = (v: { [K in keyof typeof LIMIT_SETTINGS]: number }): OperationLimits => ({
  maxDepth: v.MAX_DEPTH,
  maxAliases: v.MAX_ALIASES,
  maxRootFields: v.MAX_ROOT_FIELDS,
  maxCost: v.MAX_COST,
  maxSelections: v.MAX_SELECTIONS,
  defaultListSize: v.COST_DEFAULT_LIST_SIZE,
  maxIntrospectionDepth: v.MAX_INTROSPECTION_DEPTH,
  maxTokens: v.MAX_TOKENS,
});

/** The limits from the environment; malformed values fail together, each named (SettingsError). */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): OperationLimits {
  return limitsOf(parseSettings(LIMIT_SETTINGS, env));
}

const refusal = (message: string, code: string, extra: Record<string, unknown>) =>
  new GraphQLError(message, { extensions: { ...extra, code, http: { status: 400 } } });

/** The first limit the operation breaks, as a request error (nothing is planned or fetched). */
export function checkLimits(
  shape: OperationShape,
  limits: OperationLimits,
  cost = shape.cost,
): GraphQLError | undefined {
  const over = (actual: number, limit: number) => limit > 0 && actual > limit;
  // First: past this, every other pass over the operation (planning, authorization, shaping)
  // would work on its expansion.
  if (over(shape.selections, limits.maxSelections)) {
    return refusal(
      `The operation expands to ${shape.selections} selections once its fragments are spread; at most ${limits.maxSelections} are allowed.`,
      LimitCode.MaxSelectionsExceeded,
      { limit: limits.maxSelections, actual: shape.selections },
    );
  }
  if (over(shape.depth, limits.maxDepth)) {
    return refusal(
      `The operation is ${shape.depth} levels deep; at most ${limits.maxDepth} are allowed.`,
      LimitCode.MaxDepthExceeded,
      { limit: limits.maxDepth, actual: shape.depth },
    );
  }
  if (over(shape.aliases, limits.maxAliases)) {
    return refusal(
      `The operation uses ${shape.aliases} aliases; at most ${limits.maxAliases} are allowed.`,
      LimitCode.MaxAliasesExceeded,
      { limit: limits.maxAliases, actual: shape.aliases },
    );
  }
  if (over(shape.rootFields, limits.maxRootFields)) {
    return refusal(
      `The operation selects ${shape.rootFields} root fields; at most ${limits.maxRootFields} are allowed.`,
      LimitCode.MaxRootFieldsExceeded,
      {
        limit: limits.maxRootFields,
        actual: shape.rootFields,
      },
    );
  }
  if (over(shape.introspectionDepth, limits.maxIntrospectionDepth)) {
    return refusal(
      `The operation's introspection is ${shape.introspectionDepth} levels deep; at most ${limits.maxIntrospectionDepth} are allowed.`,
      LimitCode.MaxIntrospectionDepthExceeded,
      { limit: limits.maxIntrospectionDepth, actual: shape.introspectionDepth },
    );
  }
  if (over(shape.introspectionLists, MAX_INTROSPECTION_LIST_DEPTH)) {
    return refusal(
      `The operation's introspection nests ${shape.introspectionLists} list fields; at most ${MAX_INTROSPECTION_LIST_DEPTH} are allowed.`,
      LimitCode.MaxIntrospectionDepthExceeded,
      { limit: MAX_INTROSPECTION_LIST_DEPTH, actual: shape.introspectionLists, lists: true },
    );
  }
  // The schema's `@listSize(requireOneSlicingArgument:)`: without it the estimate means little.
  const slicing = shape.slicingViolation;
  if (limits.maxCost > 0 && slicing) {
    return refusal(
      `${slicing.field} needs exactly one of its size arguments (${slicing.slicingArguments.join(', ')}) with a value; ${slicing.given} given.`,
      ErrorCode.BadUserInput,
      { field: slicing.field, slicingArguments: slicing.slicingArguments },
    );
  }
  if (over(cost, limits.maxCost)) {
    return refusal(
      `The operation's estimated cost is ${cost}; at most ${limits.maxCost} is allowed.`,
      LimitCode.MaxCostExceeded,
      { limit: limits.maxCost, actual: cost },
    );
  }
  return undefined;
}
