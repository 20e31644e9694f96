/**
 * The header a service's own token travels in, beside the user's `Authorization`: two
 * credentials, two headers, so neither can be mistaken for the other (and no proxy or
 * library that rewrites `Authorization` touches the service's).
 */
export const SERVICE_AUTHORIZATION_HEADER = 'x-service-authorization';

/** The graphql-ws connection_init key that carries the same credential (lowercase, like `authorization`). */
export const SERVICE_AUTHORIZATION_PARAM = SERVICE_AUTHORIZATION_HEADER;

/** The GraphQL error code of a refused caller. */
export const UNTRUSTED_CALLER = 'UNTRUSTED_CALLER';

/** Service names as they appear in audiences: the subgraph names (and `router`). */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * The audience of a token meant for one service (RFC 8707 resource indicator): one audience
 * per hop, so a token stolen from one hop opens no other.
 */
export function audienceOf(service: string): string {
  if (!SERVICE_NAME.test(service)) throw new Error(`not a service name: ${JSON.stringify(service)}`);
  return `dataos-svc:${service}`;
}

/** The service an audience names, or undefined (the dev issuer accepts these resources). */
export function serviceOfAudience(audience: string): string | undefined {
  const name = audience.startsWith('dataos-svc:') ? audience.slice('dataos-svc:'.length) : undefined;
  return name !== undefined && SERVICE_NAME.test(name) ? name : undefined;
}
