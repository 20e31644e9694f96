import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { from, switchMap } from 'rxjs';
import { settings } from '../settings.js';
import { userManager } from '../auth/user-manager.js';
import { signInAgain } from '../auth/AuthProvider.js';

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

/** Normalized cache keys: the API's natural identifiers. */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Dataset: { keyFields: ['urn'] },
      Column: { keyFields: ['datasetUrn', 'name'] },
      GlossaryTerm: { keyFields: ['name'] },
      Domain: { keyFields: ['name'] },
      Concept: { keyFields: ['iri'] },
      Ontology: { keyFields: ['iri'] },
      Cluster: { keyFields: ['name'] },
      QueryRecord: { keyFields: ['id'] },
      JobRun: { keyFields: ['id'] },
    },
  });
}

export function createClient(uri = settings.routerUrl): ApolloClient {
  return new ApolloClient({
    link: ApolloLink.from([renewLink, authLink, new HttpLink({ uri })]),
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
