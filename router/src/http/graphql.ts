import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { contextFromRequest, type RouterContext } from '../context.js';
import { RouterErrorCode } from '../errors.js';
import { trustRequest, type TrustedDocuments } from '../protection/trusted-documents.js';
import { PayloadTooLargeError, parseByteSize, readBody } from './body.js';
import type { FastPath } from './fast-path.js';
import { send } from './respond.js';

export interface GraphQLHandlerOptions {
  server: ApolloServer<RouterContext>;
  /** Request body limit, as written in the settings (`1mb`). */
  maxBodySize: string;
  forwardHeaders: readonly string[];
  trusted?: TrustedDocuments;
  /** Known documents straight to the router's executor, past Apollo Server's per-request work. */
  fastPath?: FastPath;
  /** Answers a refusal made before GraphQL handling (body size, JSON, trusted documents). */
  refuse(res: ServerResponse, status: number, message: string, code: string, extra?: Record<string, unknown>): void;
}

/**
 * /graphql on plain node:http: reads the body within its limit, applies trusted-documents mode,
 * then hands the request to Apollo Server (CSRF prevention, APQ, Sandbox, the pipeline).
 */
export function graphqlHandler(options: GraphQLHandlerOptions) {
  const { server, forwardHeaders, trusted, fastPath, refuse } = options;
  const limit = parseByteSize(options.maxBodySize);

  return async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    let body: unknown;
    if (req.method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, limit);
      } catch (error) {
        if (!(error instanceof PayloadTooLargeError)) throw error;
        res.setHeader('connection', 'close');
        refuse(
          res,
          413,
          `The request body is larger than the limit of ${options.maxBodySize}.`,
          RouterErrorCode.PayloadTooLarge,
          {
            limitBytes: limit,
          },
        );
        req.resume();
        return;
      }
      if (/json/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = text.length ? JSON.parse(text) : {};
        } catch {
          refuse(res, 400, 'The request body is not valid JSON.', RouterErrorCode.BadRequest);
          return;
        }
      } else {
        body = text; // Apollo Server refuses it (CSRF prevention, or no JSON object)
      }
    }
    if (trusted) {
      const checked = trustRequest(trusted, body, search);
      if (!checked.ok) {
        refuse(res, 400, checked.message, RouterErrorCode.PersistedQueryNotInList);
        return;
      }
      search = checked.search;
    }
    if (fastPath && req.method === 'POST' && (await fastPath.serve(req, res, body))) return;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search, body },
      context: async () => contextFromRequest(req, res, forwardHeaders),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (response.body.kind === 'complete') {
      send(res, response.status ?? 200, response.body.string, res.getHeader('content-type') as string | undefined);
      return;
    }
    res.statusCode = response.status ?? 200;
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
