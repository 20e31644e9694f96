/**
 * Heimdall paths guarding the Gateway's own resources; resolvers ask with the kit's
 * `requireAllowed` / `isAllowed` before they validate anything.
 */
export const PATHS = {
  clusters: '/gateway/clusters',
  policies: '/gateway/policies',
  queries: '/gateway/queries',
} as const;
