import { HEIMDALL_CLIENT_SETTINGS } from '@dataos/heimdall-client';
import { parseSettings, setting, type Env } from '@dataos/settings';
import { KIT_SETTINGS, kitSettingsOf } from '@dataos/subgraph-kit';

// A typo must stop the service at start, not archive everything (a window of NaN days) later.
const HISTORY_WINDOW_DAYS = setting.number({ min: 0.001, max: 3650, unit: 'days', default: 7 });
const ARCHIVE_BATCH = setting.int({ min: 1, max: 100_000, unit: 'events', default: 5000 });
/** Live events are kept this long for subscribers resuming with `after` (at least a minute). */
const LIVE_RETENTION_MS = setting.durationMs({ min: 60_000, default: 3_600_000 });
/** How often each replica reads new live events when idle. */
const LIVE_POLL_MS = setting.durationMs({ min: 10, max: 60_000, default: 100 });

/** Caretaker's variables, the kit's and the Heimdall client's included: one start checks them all. */
export const CARETAKER_SETTINGS = {
  ...KIT_SETTINGS,
  ...HEIMDALL_CLIENT_SETTINGS,
  PORT: setting.port({ default: 4005 }),
  CARETAKER_HISTORY_WINDOW_DAYS: HISTORY_WINDOW_DAYS,
  CARETAKER_ARCHIVE_BATCH: ARCHIVE_BATCH,
  CARETAKER_LIVE_RETENTION_MS: LIVE_RETENTION_MS,
  CARETAKER_LIVE_POLL_MS: LIVE_POLL_MS,
  /** 0 = never. */
  CARETAKER_ARCHIVE_INTERVAL_MS: setting.durationMs({ min: 0, default: 3_600_000 }),
  /** Rollup compaction period; 0 = never (parts then stay unmerged: reads stay exact, slower). */
  CARETAKER_ROLLUP_INTERVAL_MS: setting.durationMs({ min: 0, default: 15_000 }),
  KUBECONFIG: setting.text({}),
  CARETAKER_KUBE_IN_CLUSTER: setting.bool({ default: false }),
  // Read by archiveStoreFromEnv (src/archive/store.ts, s3.ts); checked here so that a typo fails at start.
  CARETAKER_ARCHIVE_DIR: setting.text({}),
  ARCHIVE_S3_BUCKET: setting.text({}),
  ARCHIVE_S3_PREFIX: setting.text({}),
  ARCHIVE_S3_REGION: setting.text({}),
  ARCHIVE_S3_ENDPOINT: setting.url({}),
  ARCHIVE_S3_FORCE_PATH_STYLE: setting.bool({}),
  // Both or neither (checked when the store is made); without them the SDK's default chain.
  ARCHIVE_S3_ACCESS_KEY_ID: setting.text({}),
  ARCHIVE_S3_SECRET_ACCESS_KEY: setting.text({}),
  // Resources to Metis (src/metis): on when Caretaker has a client of its own to call Metis as.
  METIS_URL: setting.url({ default: 'http://localhost:4002/graphql' }),
  CARETAKER_METIS_CLIENT_ID: setting.text({}),
  CARETAKER_METIS_CLIENT_SECRET: setting.text({}),
  /** 0 = never. */
  CARETAKER_METIS_SYNC_INTERVAL_MS: setting.durationMs({ min: 0, default: 60_000 }),
};

/** History window in days (CARETAKER_HISTORY_WINDOW_DAYS, 7): history older than this is archived. */
export const historyWindowDays = (env: Env = process.env) =>
  parseSettings({ CARETAKER_HISTORY_WINDOW_DAYS: HISTORY_WINDOW_DAYS }, env).CARETAKER_HISTORY_WINDOW_DAYS;

/** Events per archive object (CARETAKER_ARCHIVE_BATCH, 5000). */
export const archiveBatch = (env: Env = process.env) =>
  parseSettings({ CARETAKER_ARCHIVE_BATCH: ARCHIVE_BATCH }, env).CARETAKER_ARCHIVE_BATCH;

export const liveRetentionMs = (env: Env = process.env) =>
  parseSettings({ CARETAKER_LIVE_RETENTION_MS: LIVE_RETENTION_MS }, env).CARETAKER_LIVE_RETENTION_MS;

export const livePollMs = (env: Env = process.env) =>
  parseSettings({ CARETAKER_LIVE_POLL_MS: LIVE_POLL_MS }, env).CARETAKER_LIVE_POLL_MS;

/** The settings `src/main.ts` reads, all checked before it connects to anything (one error names every bad one). */
export function mainSettings(env: Env = process.env) {
  const v = parseSettings(CARETAKER_SETTINGS, env);
  return {
    port: v.PORT,
    kit: kitSettingsOf(v),
    historyWindowDays: v.CARETAKER_HISTORY_WINDOW_DAYS,
    archiveBatch: v.CARETAKER_ARCHIVE_BATCH,
    archiveIntervalMs: v.CARETAKER_ARCHIVE_INTERVAL_MS,
    rollupIntervalMs: v.CARETAKER_ROLLUP_INTERVAL_MS,
    liveRetentionMs: v.CARETAKER_LIVE_RETENTION_MS,
    livePollMs: v.CARETAKER_LIVE_POLL_MS,
    /** Kubernetes informers: the first file of KUBECONFIG, or the in-cluster service account. */
    kube: v.KUBECONFIG ? { kubeconfig: v.KUBECONFIG.split(':')[0]! } : v.CARETAKER_KUBE_IN_CLUSTER ? {} : undefined,
    metisSync: metisSyncSettings(v, env),
  };
}

/**
 * Pushing resources to Metis, as Caretaker's own OIDC client (client_credentials from OIDC_ISSUER,
 * audience OIDC_AUDIENCE); undefined (off) without a client or with an interval of 0.
 */
function metisSyncSettings(v: ReturnType<typeof parseSettings<typeof CARETAKER_SETTINGS>>, env: Env) {
  // Its own client for this, or the service's identity (SERVICE_CLIENT_ID / SERVICE_CLIENT_SECRET).
  const clientId = v.CARETAKER_METIS_CLIENT_ID ?? (v.CARETAKER_METIS_CLIENT_SECRET ? undefined : env.SERVICE_CLIENT_ID);
  const clientSecret =
    v.CARETAKER_METIS_CLIENT_SECRET ?? (v.CARETAKER_METIS_CLIENT_ID ? undefined : env.SERVICE_CLIENT_SECRET);
  if (Boolean(clientId) !== Boolean(clientSecret)) {
    throw new Error('CARETAKER_METIS_CLIENT_ID and CARETAKER_METIS_CLIENT_SECRET must be set together');
  }
  if (!clientId || !clientSecret || v.CARETAKER_METIS_SYNC_INTERVAL_MS === 0) return undefined;
  if (!env.OIDC_ISSUER) throw new Error('CARETAKER_METIS_CLIENT_ID needs OIDC_ISSUER (where its token comes from)');
  return {
    metisUrl: v.METIS_URL,
    intervalMs: v.CARETAKER_METIS_SYNC_INTERVAL_MS,
    credentials: {
      clientId,
      clientSecret,
      issuer: env.OIDC_ISSUER,
      resource: env.OIDC_AUDIENCE ?? 'urn:dataos:supergraph',
    },
  };
}
