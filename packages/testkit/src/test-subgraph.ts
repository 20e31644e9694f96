import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

/** One request a test subgraph received. */
export interface RecordedFetch {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** The client's port: the same for requests over one kept-alive connection. */
  remotePort?: number;
}

/** How a test subgraph answers: normally, slowly, with garbage, with an HTTP error, or not at all. */
export interface SubgraphBehaviour {
  delayMs: number;
  answer: 'graphql' | 'garbage' | 'http500';
}

export interface TestSubgraph {
  name: string;
  /** Its /graphql. */
  url: string;
  port: number;
  typeDefs: DocumentNode;
  /** Every GraphQL request received, in order (health checks excluded). */
  fetches: RecordedFetch[];
  behaviour: SubgraphBehaviour;
  /** Fetches whose query mentions `text`. */
  fetchesMentioning(text: string): RecordedFetch[];
  /** Requests to its `/health` so far. */
  readonly healthChecks: number;
  stop(): Promise<void>;
}

export interface TestSubgraphOptions {
  name: string;
  typeDefs: string | DocumentNode;
  resolvers: object;
  port?: number;
  host?: string;
  /** Keep received requests (on by default; benchmarks turn it off). */
  record?: boolean;
  /**
   * Answer a request body seen before with the same bytes (deterministic resolvers only):
   * benchmarks use it so that subgraphs cost every gateway the same little.
   */
  memoize?: boolean;
  /** Serve `/health` (on by default); off, like subgraphs that have only their GraphQL endpoint. */
  healthRoute?: boolean;
}

/**
 * A small federation subgraph on plain node:http (`@apollo/subgraph` schema, graphql-js
 * execution with parsed documents cached), no authentication. It records what it is asked
 * (so a test can see what the router did or did not fetch) and can be told to be slow, to
 * answer garbage or an HTTP error. `/health` answers 200.
 */
export async function startTestSubgraph(options: TestSubgraphOptions): Promise<TestSubgraph> {
  const typeDefs = typeof options.typeDefs === 'string' ? parse(options.typeDefs) : options.typeDefs;
  const schema: GraphQLSchema = buildSubgraphSchema({ typeDefs, resolvers: options.resolvers as never });
  const documents = new Map<string, DocumentNode>();
  const fetches: RecordedFetch[] = [];
  const behaviour: SubgraphBehaviour = { delayMs: 0, answer: 'graphql' };
  const record = options.record !== false;
  const memo = options.memoize ? new Map<string, string>() : undefined;

  const answer = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  let healthChecks = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      healthChecks++;
      if (options.healthRoute === false) answer(res, 404, { error: 'not found' });
      else answer(res, 200, { status: 'ok', service: options.name });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const memoized = memo?.get(text);
        if (memoized !== undefined && behaviour.delayMs === 0 && behaviour.answer === 'graphql') {
          res.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(memoized),
          });
          res.end(memoized);
          return;
        }
        let body: { query?: string; operationName?: string; variables?: Record<string, unknown> };
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          answer(res, 400, { errors: [{ message: 'invalid JSON' }] });
          return;
        }
        const query = body.query ?? '';
        if (record) {
          fetches.push({
            query,
            headers: req.headers,
            ...(req.socket.remotePort !== undefined ? { remotePort: req.socket.remotePort } : {}),
            ...(body.operationName ? { operationName: body.operationName } : {}),
            ...(body.variables ? { variables: body.variables } : {}),
          });
        }
        if (behaviour.delayMs > 0) await new Promise((r) => setTimeout(r, behaviour.delayMs));
        if (behaviour.answer === 'garbage') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html>502 Bad Gateway, or so</html>');
          return;
        }
        if (behaviour.answer === 'http500') {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error');
          return;
        }
        let document = documents.get(query);
        if (!document) {
          try {
            document = parse(query);
          } catch (error) {
            answer(res, 400, { errors: [{ message: (error as Error).message }] });
            return;
          }
          const errors = validate(schema, document);
          if (errors.length) {
            answer(res, 400, { errors: errors.map((e) => ({ message: e.message })) });
            return;
          }
          documents.set(query, document);
        }
        const result = await execute({
          schema,
          document,
          variableValues: body.variables ?? {},
          operationName: body.operationName ?? null,
          contextValue: { headers: req.headers },
        });
        if (memo && !result.errors && memo.size < 10_000) memo.set(text, JSON.stringify(result));
        answer(res, 200, result);
      })().catch((error: unknown) => {
        if (!res.headersSent) answer(res, 500, { errors: [{ message: String(error) }] });
      });
    });
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    name: options.name,
    url: `http://${host}:${port}/graphql`,
    port,
    typeDefs,
    fetches,
    behaviour,
    fetchesMentioning: (text) => fetches.filter((f) => f.query.includes(text)),
    get healthChecks() {
      return healthChecks;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
