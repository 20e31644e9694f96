import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  headers: Headers;
}

/** One GraphQL request over real HTTP, as a client would send it. */
export async function graphql<T = Record<string, unknown>, V = Record<string, unknown>>(
  url: string,
  query: string | DocumentNode | TypedDocumentNode<T, V>,
  options: { variables?: V; token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables: options.variables }),
  });
  const text = await res.text();
  let body: Omit<GraphQLResponse<T>, 'status' | 'headers'>;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON answer (${res.status}) from ${url}: ${text.slice(0, 300)}`);
  }
  return { ...body, status: res.status, headers: res.headers };
}

/** The `extensions.code` of every error, for compact assertions. */
export const errorCodes = (response: GraphQLResponse<unknown>) =>
  (response.errors ?? []).map((e) => e.extensions?.code);
