import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, Kind, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { Lru } from '@dataos/cache';
import type { GatewayExecutor, GatewayRequestContext, GatewayResult, OperationAuthorizer } from '../authz/authorize.js';
import { contextFromRequest } from '../context.js';
import type { RouterMetrics } from '../metrics.js';
import { recordRequest } from '../metrics-plugin.js';
import type { PreparedOperation } from '../operations.js';
import { send } from './respond.js';

export interface FastPathOptions {
  authorizer: OperationAuthorizer;
  metrics: RouterMetrics;
  /** Apollo Server's `formatError`, applied to every error as Apollo Server applies it. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  forwardHeaders: readonly string[];
  /** The limit the operation breaks with these variables (`src/protection/plugin.ts`), checked as Apollo Server would. */
  refusalFor: (prepared: PreparedOperation, variables: Record<string, unknown> | undefined) => unknown;
  /** The API schema the router's executor runs on now; undefined: its executor is off (every request to Apollo Server). */
  currentSchema: () => GraphQLSchema | undefined;
  /** Documents remembered (OPERATION_CACHE_SIZE) and their memory in MiB (their text, at 2 bytes a character). */
  size: number;
  maxMiB: number;
}

interface Known {
  prepared: PreparedOperation;
  queryHash: string;
}

/** Thrown where Apollo Gateway's executor would run: the request goes through Apollo Server instead. */
class NeedsApolloServer extends Error {}
const needsApolloServer: GatewayExecutor = () => Promise.reject(new NeedsApolloServer());

/** Apollo Server's test for a variable coercion error (answered BAD_USER_INPUT with 400). */
function isBadUserInput(error: GraphQLError): boolean {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return false;
  const name = node.variable.name.value;
  return [`has invalid value`, `got invalid value `, `of required type `, `of non-null type `].some((tail) =>
    error.message.startsWith(`Variable "$${name}" ${tail}`),
  );
}

/** `extensions.http` as Apollo Server reads it: a status and a Map of headers. */
function httpOf(value: unknown): { status?: number; headers?: Map<string, string> } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const http = value as { status?: unknown; headers?: unknown };
  if ('status' in http && typeof http.status !== 'number') return undefined;
  if ('headers' in http && !(http.headers instanceof Map)) return undefined;
  return http as { status?: number; headers?: Map<string, string> };
}

/** Whether Apollo Server would answer `application/json` to this Accept header (anything else goes to it). */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return true;
  return accept.includes('application/json') && !accept.includes('graphql-response') && !accept.includes(';');
}

/**
 * A request for a document Apollo Server has already parsed, validated, measured and handed to
 * the router's executor goes straight to authorization and the executor: Apollo Server's
 * per-request machinery (hashing the query, its document cache, the plugin hooks, the headers'
 * copies) is skipped, while the answer is the one Apollo Server would give (the same errors,
 * `formatError`, codes, HTTP status and headers, metrics). Anything else (GET, APQ and other
 * extensions, batches, other content types, a document not seen yet or whose limits depend on
 * its variables, a schema reloaded since, an operation that needs Apollo Gateway's executor)
 * goes through Apollo Server as before.
 */
export class FastPath {
  private readonly known: Lru<string, Known>;

  constructor(private readonly options: FastPathOptions) {
    this.known = new Lru({
      max: Math.max(1, options.size),
      maxBytes: Math.max(1, options.maxMiB) * 1024 * 1024,
      sizeOf: (_: Known, key: string) => 256 + key.length * 2,
    });
  }

  /** Called once Apollo Server has accepted a document for the router's executor: later requests for it take the fast path. */
  remember(
    query: string | undefined,
    operationName: string | null | undefined,
    queryHash: string,
    prepared: PreparedOperation,
  ) {
    // Subscriptions have transports of their own (src/subscriptions/): never answered here.
    if (query === undefined || prepared.apolloOnly || prepared.operation.operation === 'subscription') return;
    const key = `${operationName ?? ''}\u0000${query}`;
    if (this.known.get(key, 0)?.prepared !== prepared) this.known.set(key, { prepared, queryHash });
  }

  /**
   * Answers the request and resolves true, or resolves false having done nothing the caller
   * can see, for Apollo Server to answer. `body` is the parsed JSON body of a POST.
   */
  async serve(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<boolean> {
    const started = performance.now();
    if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
    const { query, operationName, variables, ...rest } = body as Record<string, unknown>;
    for (const key in rest) if (rest[key] !== undefined) return false; // extensions (APQ), unknown keys
    if (typeof query !== 'string') return false;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return false;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
      return false;
    const contentType = req.headers['content-type'];
    if (contentType?.split(';', 1)[0]!.trim().toLowerCase() !== 'application/json') return false;
    if (!acceptsJson(req.headers.accept)) return false;
    const key = `${operationName ?? ''}\u0000${query}`;
    const known = this.known.get(key, 0);
    if (!known) return false;
    const { prepared, queryHash } = known;
    // `execution` null: the router's executor already left this document to Apollo Gateway's.
    if (prepared.apolloOnly || prepared.execution === null || prepared.schema !== this.options.currentSchema())
      return false;

    const context = contextFromRequest(req, res, this.options.forwardHeaders);
    context.prepared = prepared;
    const resolvedName = prepared.operation.name?.value ?? null;
    if (prepared.shape.costDependsOnVariables) {
      const refusal = this.options.refusalFor(prepared, variables as Record<string, unknown> | undefined);
      if (refusal) {
        // Thrown by the limits plugin in Apollo Server: a request error, 500 unless the error says.
        const error = refusal instanceof GraphQLError ? refusal : new GraphQLError(String(refusal));
        this.answer(res, { errors: [error] }, resolvedName, undefined, started, 500);
        return true;
      }
    }
    const requestContext = {
      request: {
        query,
        ...(typeof operationName === 'string' ? { operationName } : {}),
        ...(variables ? { variables: variables as Record<string, unknown> } : {}),
      },
      schema: prepared.schema,
      document: prepared.document,
      operation: prepared.operation,
      operationName: resolvedName,
      queryHash,
      context,
    } as unknown as GatewayRequestContext;
    let result: GatewayResult;
    try {
      result = await this.options.authorizer.execute(requestContext, needsApolloServer);
    } catch (error) {
      if (!(error instanceof NeedsApolloServer)) throw error;
      prepared.apolloOnly = true;
      this.known.delete(key);
      return false;
    }
    this.answer(res, result, resolvedName, context.tokenRefusal, started);
    return true;
  }

  /** The answer as Apollo Server writes it (its error normalisation, status and headers from `extensions.http`). */
  private answer(
    res: ServerResponse,
    result: GatewayResult,
    operationName: string | null,
    tokenRefusal: string | undefined,
    started: number,
    requestErrorStatus?: number,
  ): void {
    let status: number | undefined;
    let formatted: GraphQLFormattedError[] | undefined;
    if (result.errors) {
      formatted = result.errors.map((raw) => {
        const error =
          isBadUserInput(raw) && raw.extensions?.code == null
            ? new GraphQLError(raw.message, {
                nodes: raw.nodes ?? null,
                originalError: raw.originalError ?? raw,
                extensions: { ...raw.extensions, code: 'BAD_USER_INPUT' },
              })
            : raw;
        try {
          const extensions: Record<string, unknown> = {
            ...error.extensions,
            code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR',
          };
          const http = httpOf(extensions.http);
          if (http) {
            if (http.status) status = http.status;
            for (const [name, value] of http.headers ?? []) res.setHeader(name, value);
            delete extensions.http;
          }
          return this.options.formatError({ ...error.toJSON(), extensions }, error);
        } catch {
          return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
        }
      });
      if (formatted.length && result.data === undefined && !status) status = requestErrorStatus ?? 400;
    }
    // Apollo Server's cache-control plugin: nothing the router's executor answers is cacheable.
    if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-store');
    const text = `${JSON.stringify({ errors: formatted, data: result.data, extensions: result.extensions })}\n`;
    send(res, status ?? 200, text);
    this.options.metrics.fastPath.inc();
    recordRequest(this.options.metrics, {
      operationName,
      resolved: true,
      errors: formatted,
      hasData: Boolean(result.data),
      tokenRefusal,
      started,
    });
  }
}
