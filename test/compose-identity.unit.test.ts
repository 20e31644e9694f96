import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CALLERS, devClientOf } from '../scripts/lib/service-identity.js';
import { SUBGRAPHS } from '../scripts/lib/subgraphs.js';

/** docker/compose.yaml's service identity agrees with the architecture's hops and with the dev issuer's clients. */
const compose = parse(readFileSync(fileURLToPath(new URL('../docker/compose.yaml', import.meta.url)), 'utf8')) as {
  services: Record<string, { environment?: Record<string, string> }>;
};
/** What compose makes of `${VAR:-default}` with nothing set. */
const defaults = (value: string | undefined) => (value ?? '').replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
const env = (service: string, name: string) => defaults(compose.services[service]?.environment?.[name]);

describe('docker/compose.yaml: service identity on every hop', () => {
  it("gives each subgraph its own dev client, required, trusting exactly its callers' clients", () => {
    for (const { name } of SUBGRAPHS) {
      expect(env(name, 'SERVICE_IDENTITY'), name).toBe('required');
      expect(env(name, 'SERVICE_CLIENT_ID'), name).toBe(devClientOf(name).clientId);
      expect(env(name, 'SERVICE_CLIENT_SECRET'), name).toBe(devClientOf(name).clientSecret);
      expect(env(name, 'SERVICE_TRUSTED_CALLERS').split(',').sort(), name).toEqual(
        CALLERS[name].map((c) => devClientOf(c).clientId).sort(),
      );
    }
  });

  it('gives the router its ROUTER_CLIENT_ID as its identity on the hops', () => {
    expect(env('router', 'SERVICE_IDENTITY')).toBe('required');
    expect(env('router', 'SERVICE_CLIENT_ID')).toBe(env('router', 'ROUTER_CLIENT_ID'));
    expect(env('router', 'SERVICE_CLIENT_ID')).toBe(devClientOf('router').clientId);
    expect(env('router', 'SERVICE_CLIENT_SECRET')).toBe(devClientOf('router').clientSecret);
  });
});
