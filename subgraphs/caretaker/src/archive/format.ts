import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { HistoryEvent, PodPhase, WatchEventType } from '../model.js';

/**
 * Layout of the archive: gzip NDJSON objects partitioned by UTC day and scope (a namespace's
 * pods, or the nodes), each with a manifest written after it:
 *
 *   history/dt=2025-01-31/ns=retail/part-<16 hex>.ndjson.gz
 *   history/dt=2025-01-31/ns=retail/part-<16 hex>.manifest.json
 *   history/dt=2025-01-31/nodes/part-<16 hex>.ndjson.gz
 *
 * The part name is a hash of the batch's event ids: the same batch always gets the same key.
 */
export const HISTORY_PREFIX = 'history/';
const OBJECT_SUFFIX = '.ndjson.gz';
const MANIFEST_SUFFIX = '.manifest.json';
const KEY = /^history\/dt=(\d{4}-\d{2}-\d{2})\/(ns=[a-z0-9-]+|nodes)\/part-[0-9a-f]{16}\.ndjson\.gz$/;

export interface Manifest {
  version: 1;
  key: string;
  day: string;
  scope: string;
  count: number;
  /** SHA-256 of the uncompressed NDJSON. */
  sha256: string;
  /** SHA-256 of the stored (gzip) bytes. */
  gzipSha256: string;
  bytes: number;
  minTime: string;
  maxTime: string;
  firstId: string;
  lastId: string;
  /** Events by `<phase>/<type>`, so that counts over whole objects need not read them. */
  counts: Record<string, number>;
  createdAt: string;
}

export const dayOf = (time: Date) => time.toISOString().slice(0, 10);
export const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const DAY_MS = 86_400_000;

/** The UTC days that [from, to) touches. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let t = dayStart(dayOf(from)).getTime(); t < to.getTime(); t += DAY_MS) days.push(dayOf(new Date(t)));
  return days;
}

export const scopeOf = (e: Pick<HistoryEvent, 'kind' | 'namespace'>) =>
  e.kind === 'Pod' ? `ns=${e.namespace}` : 'nodes';
export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export function objectKey(day: string, scope: string, ids: string[]): string {
  const sorted = [...ids].sort();
  return `${HISTORY_PREFIX}dt=${day}/${scope}/part-${sha256(sorted.join('\n')).slice(0, 16)}${OBJECT_SUFFIX}`;
}

export function parseObjectKey(key: string): { day: string; scope: string } | null {
  const m = KEY.exec(key);
  return m ? { day: m[1]!, scope: m[2]! } : null;
}

export const manifestKeyOf = (key: string) => key.slice(0, -OBJECT_SUFFIX.length) + MANIFEST_SUFFIX;
export const isManifestKey = (key: string) => key.endsWith(MANIFEST_SUFFIX);
export const objectKeyOfManifest = (key: string) => key.slice(0, -MANIFEST_SUFFIX.length) + OBJECT_SUFFIX;

/** One NDJSON line, with a fixed field order (the checksum depends on it). */
function line(e: HistoryEvent): string {
  return JSON.stringify({
    id: e._id,
    kind: e.kind,
    key: e.key,
    namespace: e.namespace,
    name: e.name,
    uid: e.uid,
    rv: e.rv,
    type: e.type,
    time: e.time.toISOString(),
    phase: e.phase,
    reason: e.reason,
    message: e.message,
    nodeName: e.nodeName,
    restarts: e.restarts,
    ready: e.ready,
    resourceUrn: e.resourceUrn,
    pressure: e.pressure,
    // Only when set: objects written before rollups keep their bytes and checksums.
    ...(e.batch ? { batch: e.batch } : {}),
  });
}

function parseLine(text: string): HistoryEvent {
  const o = JSON.parse(text) as Omit<HistoryEvent, '_id' | 'time'> & { id: string; time: string };
  const { id, time, ...rest } = o;
  return { _id: id, ...rest, time: new Date(time) };
}

export const countKey = (phase: PodPhase, type: WatchEventType) => `${phase}/${type}`;

/** The object and its manifest for a batch of events (sorted by id, so the bytes are reproducible). */
export function encodeBatch(
  key: string,
  events: HistoryEvent[],
  now = new Date(),
): { body: Buffer; manifest: Manifest } {
  const parsed = parseObjectKey(key);
  if (!parsed) throw new Error(`not an archive object key: ${key}`);
  const sorted = [...events].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  const ndjson = Buffer.from(sorted.map((e) => `${line(e)}\n`).join(''), 'utf8');
  const body = gzipSync(ndjson);
  const times = sorted.map((e) => e.time.getTime());
  const counts: Record<string, number> = {};
  for (const e of sorted) counts[countKey(e.phase, e.type)] = (counts[countKey(e.phase, e.type)] ?? 0) + 1;
  return {
    body,
    manifest: {
      version: 1,
      key,
      ...parsed,
      count: sorted.length,
      sha256: sha256(ndjson),
      gzipSha256: sha256(body),
      bytes: body.byteLength,
      minTime: new Date(Math.min(...times)).toISOString(),
      maxTime: new Date(Math.max(...times)).toISOString(),
      firstId: sorted[0]?._id ?? '',
      lastId: sorted.at(-1)?._id ?? '',
      counts,
      createdAt: now.toISOString(),
    },
  };
}

export class ArchiveIntegrityError extends Error {}

/** The events of an object, after checking it against its manifest (size, both checksums, count). */
export function decodeVerified(body: Uint8Array, manifest: Manifest): HistoryEvent[] {
  if (body.byteLength !== manifest.bytes || sha256(body) !== manifest.gzipSha256) {
    throw new ArchiveIntegrityError(`${manifest.key}: stored bytes do not match the manifest`);
  }
  const ndjson = gunzipSync(body);
  if (sha256(ndjson) !== manifest.sha256) throw new ArchiveIntegrityError(`${manifest.key}: content checksum mismatch`);
  const text = ndjson.toString('utf8');
  const events = text ? text.slice(0, -1).split('\n').map(parseLine) : [];
  if (events.length !== manifest.count) {
    throw new ArchiveIntegrityError(`${manifest.key}: ${events.length} events, the manifest says ${manifest.count}`);
  }
  return events;
}

export function parseManifest(body: Uint8Array, key: string): Manifest {
  const m = JSON.parse(Buffer.from(body).toString('utf8')) as Manifest;
  if (m.version !== 1 || m.key !== key) throw new ArchiveIntegrityError(`${key}: not a manifest of this object`);
  return m;
}
