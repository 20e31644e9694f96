import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** Signing keys of the dev issuer, newest first; kept in a git-ignored file so tokens survive restarts. */
export interface KeyFile {
  keys: JWK[];
}

async function newKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg: 'RS256', use: 'sig', kid: await calculateJwkThumbprint(jwk) };
}

export async function loadOrCreateKeys(file: string): Promise<KeyFile> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const keys: KeyFile = { keys: [await newKey()] };
  save(file, keys);
  return keys;
}

/** Puts a new signing key first; `keep` older keys stay published so their tokens still verify. */
export async function rotateKeys(file: string, keep = 1): Promise<KeyFile> {
  const current = await loadOrCreateKeys(file);
  const next: KeyFile = { keys: [await newKey(), ...current.keys.slice(0, keep)] };
  save(file, next);
  return next;
}

function save(file: string, keys: KeyFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
}
