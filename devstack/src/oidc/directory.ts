/**
 * Seeded people and clients of the development issuer. Passwords equal user names:
 * this issuer exists for local work and tests only.
 */
export interface DevUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
  groups: string[];
  /** Attributes Gateway row filters can use (e.g. region). */
  region?: string;
}

export const DEV_USERS: Record<string, DevUser> = {
  alice: {
    id: 'alice',
    name: 'Alice Martin',
    email: 'alice@dataos.local',
    roles: ['data-dev'],
    groups: ['retail'],
    region: 'emea',
  },
  bob: { id: 'bob', name: 'Bob Osei', email: 'bob@dataos.local', roles: ['operator'], groups: ['platform'] },
  carol: {
    id: 'carol',
    name: 'Carol Nguyen',
    email: 'carol@dataos.local',
    roles: ['admin', 'pii-reader'],
    groups: ['platform', 'retail'],
    region: 'amer',
  },
  dave: { id: 'dave', name: 'Dave Kowalski', email: 'dave@dataos.local', roles: [], groups: [] },
};

export const DEFAULT_AUDIENCE = 'urn:dataos:supergraph';

/**
 * One confidential client per subgraph, each its own identity on the hops it calls
 * (SERVICE_CLIENT_ID / SERVICE_CLIENT_SECRET): `dataos-svc-<name>`, secret `<id>-dev-secret`.
 * The router's is `services` below (its ROUTER_CLIENT_ID in development).
 */
export const DEV_SERVICE_CLIENTS: Record<string, { clientId: string; clientSecret: string }> = Object.fromEntries(
  ['heimdall', 'metis', 'odin', 'gateway', 'caretaker'].map((name) => [
    name,
    { clientId: `dataos-svc-${name}`, clientSecret: `dataos-svc-${name}-dev-secret` },
  ]),
);

export const DEV_CLIENTS = {
  /** Sandbox and UIs: authorization code + PKCE, no secret. */
  ui: 'dataos-ui',
  /** `npm run token`: the dev-only password grant. */
  cli: 'dataos-cli',
  /**
   * Machines: client_credentials. Also the router's own identity in development (ROUTER_CLIENT_ID;
   * Heimdall's HEIMDALL_ROUTER_TAGS defaults to `users:id:dataos-services`); production gives the
   * router a client of its own.
   */
  services: 'dataos-services',
  servicesSecret: 'dataos-services-dev-secret',
  /** Each subgraph's own client, by subgraph name (service identity on every hop). */
  byService: DEV_SERVICE_CLIENTS,
} as const;

export const SERVICE_ROLES: Record<string, string[]> = {
  [DEV_CLIENTS.services]: ['service'],
  ...Object.fromEntries(Object.values(DEV_SERVICE_CLIENTS).map((c) => [c.clientId, ['service']])),
};
