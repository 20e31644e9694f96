import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import type { TypePolicy } from '@apollo/client/cache';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { relayStylePagination } from '@apollo/client/utilities';
import { from, switchMap } from 'rxjs';
import { settings } from '../settings.js';
import { userManager } from '../auth/user-manager.js';
import { signInAgain } from '../auth/AuthProvider.js';
import { createLiveLink, isSubscription } from '../live/index.js';

/** The caller's bearer token on every request: the router and each subgraph authorize with it. */
const authLink = new SetContextLink(async (prevContext) => {
  const user = await userManager().getUser();
  const headers = { ...(prevContext.headers as Record<string, string> | undefined) };
  if (user?.access_token) headers.authorization = `Bearer ${user.access_token}`;
  return { headers };
});

function isUnauthenticated(error: unknown): boolean {
  if (ServerError.is(error)) return error.statusCode === 401;
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  return false;
}

/**
 * A token the router refuses (expired while the tab slept, keys rotated): renew silently and retry
 * once; when renewal fails, sign in again and come back to this page.
 */
const renewLink = new ErrorLink(({ error, operation, forward }) => {
  if (!isUnauthenticated(error) || operation.getContext().renewed) return;
  operation.setContext({ renewed: true });
  return from(
    userManager()
      .signinSilent()
      .catch(async (e: unknown) => {
        await signInAgain();
        throw e;
      }),
  ).pipe(switchMap(() => forward(operation)));
});

/**
 * A cache id from natural keys when the answer carries them all; otherwise the object stays inside
 * its parent (a page that does not ask for the key must not fail on a missing key field).
 */
export function keyBy(...fields: string[]): NonNullable<TypePolicy['keyFields']> {
  return (object: Readonly<Record<string, unknown>>) => {
    const values = fields.map((field) => object[field]);
    if (values.some((value) => value === undefined || value === null)) return undefined;
    return `${String(object.__typename)}:${JSON.stringify(values)}`;
  };
}

/** Normalized cache keys: the API's natural identifiers. */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      // Connections the console pages through: each new page is appended to the ones already shown.
      Query: {
        fields: {
          // Each sort is its own list: a page of "most used" must never be appended to a best-match list.
          search: relayStylePagination(['query', 'filter', 'sort']),
          glossaryTerms: relayStylePagination(),
        },
      },
      Domain: { keyFields: keyBy('name'), fields: { datasets: relayStylePagination() } },
      Dataset: { keyFields: keyBy('urn') },
      // Keyed, so the Sources pages' queries (source, its runs) fill one object: each list field is kept per arguments.
      Source: { keyFields: keyBy('name') },
      Column: { keyFields: keyBy('datasetUrn', 'name') },
      GlossaryTerm: { keyFields: keyBy('name') },
      Concept: { keyFields: keyBy('iri') },
      Ontology: { keyFields: keyBy('iri') },
      Cluster: { keyFields: keyBy('name') },
      QueryRecord: { keyFields: keyBy('id') },
      JobRun: { keyFields: keyBy('id') },
    },
  });
}

export function createClient(uri = settings.routerUrl): ApolloClient {
  return new ApolloClient({
    // Subscriptions over the router's WebSocket (resumed from their last cursor), the rest over HTTP.
    link: ApolloLink.split(
      isSubscription,
      createLiveLink(uri),
      ApolloLink.from([renewLink, authLink, new HttpLink({ uri })]),
    ),
    cache: createCache(),
    // Partial answers are normal here: a field the user may not see, or a subgraph that is down,
    // comes back as null plus an error at its path, and the rest of the page must still show.
    defaultOptions: {
      watchQuery: { errorPolicy: 'all' },
      query: { errorPolicy: 'all' },
      mutate: { errorPolicy: 'all' },
    },
  });
}
