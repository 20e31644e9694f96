import type { GraphQLDataSource } from '@apollo/gateway';
import { GraphQLError, isAbstractType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { RouterErrorCode } from '../errors.js';
import { groupByContext } from './context.js';
import type { FetchNode, PlanNode, RequiresSelection } from './plan-types.js';
import { applyRewrites } from './rewrites.js';

type Json = Record<string, unknown>;
type ProcessOptions = Parameters<GraphQLDataSource['process']>[0];

export interface PlanRun {
  /** The supergraph schema (with every subgraph's types), for `requires` type conditions. */
  supergraphSchema: GraphQLSchema;
  dataSourceFor: (serviceName: string) => GraphQLDataSource | undefined;
  /** What the data sources get as `context` and `incomingRequestContext`. */
  context: unknown;
  incomingRequestContext: unknown;
  /** The variables as the client sent them, and the defaults of the operation's variables. */
  variables: Json;
  variableDefaults: Json;
  errors: GraphQLError[];
  /** What each fetch answered for which objects: to tell, on a wrong-shaped value, which subgraph sent it. */
  fetched?: Fetched[];
}

interface Fetched {
  serviceName: string;
  /** The objects of the answer the fetch merged into, and what it answered for each. */
  owners: unknown[];
  received: unknown[];
  byOwner?: Map<unknown, number>;
}

interface Cursor {
  path: (string | number)[];
  data: unknown;
  fullResult: Json;
  /** Where each entity of `data` is in the answer, when known (a fetch split by context). */
  entityPaths?: (string | number)[][];
}

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function defineOwn(object: Json, key: string): void {
  if (!Object.hasOwn(object, key) && key in object) {
    Object.defineProperty(object, key, { configurable: true, enumerable: true, value: undefined, writable: true });
  }
}

/** Merges what a fetch returned into what is there (as `@apollo/gateway` does). */
export function deepMerge(target: Json, source: unknown): Json {
  if (!isObject(source)) return target;
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined) continue;
    defineOwn(target, key);
    const existing = target[key];
    if (existing && isObject(value)) {
      deepMerge(existing as Json, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(existing[i]) && isObject(value[i])) deepMerge(existing[i] as Json, value[i]);
        else existing[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
  return target;
}

function flattenAt(value: unknown, path: readonly (string | number)[], from = 0): unknown {
  if (from === path.length || value === undefined || value === null) return value;
  const head = path[from];
  if (head === '@') {
    if (!Array.isArray(value)) return undefined;
    return value.flatMap((item) => flattenAt(item, path, from + 1) as never);
  }
  if (Array.isArray(value) || typeof value !== 'object') return undefined;
  const own = Object.hasOwn(value, head as string) ? (value as Json)[head as string] : undefined;
  return flattenAt(own, path, from + 1);
}

function isObjectOfType(schema: GraphQLSchema, object: Json, typeCondition: string): boolean {
  const typename = object.__typename;
  if (!typename || typeof typename !== 'string') return false;
  if (typename === typeCondition) return true;
  const type = schema.getType(typename);
  const condition = schema.getType(typeCondition);
  if (!type || !condition || !isAbstractType(condition)) return false;
  return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
}

/** An entity's representation: the `requires` selection of the fetch, read from what is known of it. */
function selectRequired(schema: GraphQLSchema, source: unknown, selections: readonly RequiresSelection[]): Json | null {
  if (source === null || typeof source !== 'object') return null;
  const object = source as Json;
  const result = Object.create(null) as Json;
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const key = selection.alias ?? selection.name;
      if (!Object.hasOwn(object, key) || object[key] === undefined) return null;
      const value = object[key];
      if (Array.isArray(value)) {
        result[key] = value.map((item) =>
          selection.selections ? selectRequired(schema, item, selection.selections) : item,
        );
      } else if (selection.selections) {
        result[key] = selectRequired(schema, value, selection.selections);
      } else {
        result[key] = value;
      }
    } else if (selection.typeCondition && isObjectOfType(schema, object, selection.typeCondition)) {
      deepMerge(result, selectRequired(schema, object, selection.selections));
    }
  }
  return result;
}

/** Paths in the answer of each entity a fetch was about, for errors the subgraph placed on `_entities`. */
function hydratedPaths(
  path: readonly (string | number)[],
  data: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
) {
  if (data === null || data === undefined) return out;
  if (path.length === 0) {
    out.push(prefix.slice());
    return out;
  }
  const [head, ...rest] = path;
  if (head === '@') {
    if (!Array.isArray(data)) return out;
    data.forEach((item, i) => hydratedPaths(rest, item, [...prefix, i], out));
  } else if (Array.isArray(data)) {
    data.forEach((item, i) => hydratedPaths(path, item, [...prefix, i], out));
  } else if (typeof data === 'object' && Object.hasOwn(data, head as string)) {
    hydratedPaths(rest, (data as Json)[head as string], [...prefix, head!], out);
  }
  return out;
}

/** A subgraph's error, placed in the answer and tagged with the subgraph (as `@apollo/gateway` does). */
function downstreamError(
  error: { message?: string; path?: readonly (string | number)[]; extensions?: Json },
  serviceName: string,
  fetch: FetchNode,
  cursor: Cursor,
  hydrated: () => (string | number)[][],
): GraphQLError {
  const errorPath = error.path;
  let path: (string | number)[] | undefined;
  if (errorPath && fetch.requires && typeof errorPath[1] === 'number') {
    path = [...(hydrated()[errorPath[1]] ?? []), ...errorPath.slice(2)];
  } else if (errorPath) {
    path = [...cursor.path, ...errorPath];
  }
  return new GraphQLError(error.message || `Error while fetching subquery from service "${serviceName}"`, {
    ...(path ? { path } : {}),
    extensions: { ...error.extensions, code: error.extensions?.code ?? 'DOWNSTREAM_SERVICE_ERROR', serviceName },
  });
}

async function executeFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const dataSource = run.dataSourceFor(fetch.serviceName);
  if (!dataSource) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities = Array.isArray(cursor.data)
    ? cursor.data.filter((e) => e !== null && e !== undefined)
    : [cursor.data];
  if (entities.length < 1) return;
  const variables: Json = Object.create(null) as Json;
  for (const name of fetch.variableUsages ?? []) {
    if (Object.hasOwn(run.variables, name) && run.variables[name] !== undefined) variables[name] = run.variables[name];
  }
  let hydrated: (string | number)[][] | undefined;
  const send = async (vars: Json): Promise<Json | null | undefined> => {
    const response = await dataSource.process({
      kind: 'incoming operation',
      request: {
        query: fetch.operation,
        variables: vars,
        ...(fetch.operationName ? { operationName: fetch.operationName } : {}),
      },
      incomingRequestContext: run.incomingRequestContext,
      context: run.context,
      pathInIncomingRequest: cursor.path,
    } as unknown as ProcessOptions);
    if (response.errors?.length) {
      const paths = () => (hydrated ??= cursor.entityPaths ?? hydratedPaths(cursor.path, cursor.fullResult));
      for (const error of response.errors) {
        run.errors.push(downstreamError(error as never, fetch.serviceName, fetch, cursor, paths));
      }
    }
    return response.data as Json | null | undefined;
  };

  if (!fetch.requires) {
    const data = await send(variables);
    applyRewrites(run.supergraphSchema, fetch.outputRewrites, data);
    for (const entity of entities) deepMerge(entity as Json, data);
    if (data)
      run.fetched?.push({ serviceName: fetch.serviceName, owners: entities, received: entities.map(() => data) });
    return;
  }
  const representations: Json[] = [];
  const owners: Json[] = [];
  for (const entity of entities) {
    const representation = selectRequired(run.supergraphSchema, entity, fetch.requires);
    if (representation && representation.__typename) {
      applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
      representations.push(representation);
      owners.push(entity as Json);
    }
  }
  if (representations.length < 1) return;
  if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
  const data = await send({ ...variables, representations });
  if (!data) return;
  const received = data._entities;
  if (!Array.isArray(received) || received.length !== representations.length) {
    // Which answer goes with which entity cannot be told: none of them is used.
    const found = Array.isArray(received) ? `${received.length} entities` : 'no list of entities';
    run.errors.push(
      new GraphQLError(`Subgraph "${fetch.serviceName}" answered ${found} for ${representations.length} asked.`, {
        path: cursor.path,
        extensions: { code: RouterErrorCode.SubgraphInvalidResponse, serviceName: fetch.serviceName },
      }),
    );
    return;
  }
  run.fetched?.push({ serviceName: fetch.serviceName, owners, received });
  for (let i = 0; i < owners.length; i++) {
    const entity = received[i] as Json | null;
    const owner = owners[i]!;
    if (entity && !entity.__typename) entity.__typename = owner.__typename;
    applyRewrites(run.supergraphSchema, fetch.outputRewrites, entity);
    deepMerge(owner, entity);
  }
}

/** A fetch with `@fromContext` arguments: one fetch per distinct set of context values, each with its own variables. */
async function executeInContexts(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const groups = groupByContext(run.supergraphSchema, fetch.contextRewrites!, cursor.fullResult, cursor.path);
  await Promise.all(
    groups.map((group) =>
      executeFetch({ ...run, variables: { ...run.variables, ...group.variables } }, fetch, {
        ...cursor,
        data: group.entities,
        entityPaths: group.paths,
      }),
    ),
  );
}

export async function executeNode(run: PlanRun, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(run, child, cursor)));
      return;
    case 'Flatten': {
      const data = flattenAt(cursor.data, node.path);
      await executeNode(
        run,
        node.node,
        data === undefined || data === null
          ? undefined
          : { path: [...cursor.path, ...node.path], data, fullResult: cursor.fullResult },
      );
      return;
    }
    case 'Fetch':
      try {
        if (node.contextRewrites?.length) await executeInContexts(run, node, cursor);
        else await executeFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(
          error instanceof GraphQLError
            ? error
            : new GraphQLError((error as Error).message, { originalError: error as Error }),
        );
      }
      return;
    case 'Condition': {
      let value = Object.hasOwn(run.variables, node.condition) ? run.variables[node.condition] : undefined;
      if (value === undefined) value = run.variableDefaults[node.condition];
      if (typeof value !== 'boolean')
        throw new Error(`Invalid non-boolean value ${String(value)} for Boolean! variable $${node.condition}`);
      const branch = value ? node.ifClause : node.elseClause;
      if (branch) await executeNode(run, branch, cursor);
      return;
    }
    default:
      throw new Error(`The router cannot execute a ${node.kind} plan node.`);
  }
}

function valueAt(value: unknown, path: readonly (string | number)[], from: number): unknown {
  let current = value;
  for (let i = from; i < path.length; i++) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = path[i]!;
    current = Object.hasOwn(current, key) ? (current as Json)[key as string] : undefined;
  }
  return current;
}

/**
 * The subgraph whose answer put `value` at `path` of the merged result: the latest fetch that
 * merged into an object on the path and answered that very value below it. Only looked up for
 * errors, so the fetches keep no more than references on the way.
 */
export function blameFetch(
  run: PlanRun,
  root: Json,
  path: readonly (string | number)[],
  value: unknown,
): string | undefined {
  const chain: unknown[] = [root];
  for (let i = 0; i < path.length; i++) chain.push(valueAt(chain[i], path.slice(i, i + 1), 0));
  const fetched = run.fetched ?? [];
  for (let f = fetched.length - 1; f >= 0; f--) {
    const record = fetched[f]!;
    record.byOwner ??= new Map(record.owners.map((owner, i) => [owner, i]));
    for (let depth = 0; depth < path.length; depth++) {
      const j = record.byOwner.get(chain[depth]);
      if (j !== undefined && valueAt(record.received[j], path, depth) === value) return record.serviceName;
    }
  }
  return undefined;
}

/** Runs a plan: every fetch, in the plan's order, merged into one unshaped result. */
export async function executePlan(run: PlanRun, root: PlanNode | undefined): Promise<Json> {
  const data = Object.create(null) as Json;
  if (root) await executeNode(run, root, { path: [], data, fullResult: data });
  return data;
}
