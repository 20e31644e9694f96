import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as S3 from '@aws-sdk/client-s3';
import { cachedBuild } from './build-cache.js';
import { CACHE_DIR, DATA_DIR, DEVSTACK_DIR } from './paths.js';
import { portOpen, run } from './process.js';
import type { ServiceSpec } from './services.js';

/**
 * The devstack's S3-compatible object store: Versity's S3 gateway (versitygw, Apache-2.0) over a
 * folder. Development credentials only: the server listens on loopback and holds dev data.
 */
export const DEV_S3 = {
  port: 4490,
  accessKeyId: 'dataos-dev-s3',
  secretAccessKey: 'dataos-dev-s3-secret',
  region: 'us-east-1',
} as const;

const VGW_DIR = `${DEVSTACK_DIR}versitygw`;
const VGW_BIN = `${CACHE_DIR}/bin/versitygw`;

/** What a client needs, from the devstack's `S3_*` variables (or the given environment). */
export interface S3Settings {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export function s3SettingsFromEnv(env: NodeJS.ProcessEnv = process.env): S3Settings {
  return {
    endpoint: env.S3_ENDPOINT ?? `http://127.0.0.1:${DEV_S3.port}`,
    accessKeyId: env.S3_ACCESS_KEY_ID ?? DEV_S3.accessKeyId,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? DEV_S3.secretAccessKey,
    region: env.S3_REGION ?? DEV_S3.region,
  };
}

// The SDK takes most of a second to load: loaded on first use, not by every importer of the
// devstack (every test worker imports it for tokens). Its package has no ESM exports map, so
// `import` elsewhere gets this same CommonJS module.
let loaded: typeof S3 | undefined;
const sdk = (): typeof S3 => (loaded ??= createRequire(import.meta.url)('@aws-sdk/client-s3') as typeof S3);

/** A client for S3-compatible servers: path-style addressing (no bucket host names on loopback). */
export function s3Client(settings: S3Settings): S3.S3Client {
  return new (sdk().S3Client)({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: true,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    maxAttempts: 2,
  });
}

/** Creates `bucket` unless it exists (idempotent; concurrent callers are fine). */
export async function ensureBucket(bucket: string, settings: S3Settings = s3SettingsFromEnv()): Promise<void> {
  const { BucketAlreadyOwnedByYou, CreateBucketCommand, HeadBucketCommand } = sdk();
  const client = s3Client(settings);
  try {
    const exists = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
      () => true,
      (error: { $metadata?: { httpStatusCode?: number } }) => {
        if (error.$metadata?.httpStatusCode === 404) return false;
        throw error;
      },
    );
    if (exists) return;
    await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: unknown) => {
      // Someone else created it between our check and our create.
      if (error instanceof BucketAlreadyOwnedByYou) return;
      throw error;
    });
  } finally {
    client.destroy();
  }
}

export function s3Service(port: number = DEV_S3.port): ServiceSpec {
  const url = `http://127.0.0.1:${port}`;
  const settings: S3Settings = { ...DEV_S3, endpoint: url };
  return {
    name: 's3',
    envVar: 'S3_ENDPOINT',
    url,
    port,
    extraEnv: {
      S3_ACCESS_KEY_ID: DEV_S3.accessKeyId,
      S3_SECRET_ACCESS_KEY: DEV_S3.secretAccessKey,
      S3_REGION: DEV_S3.region,
    },
    startTimeoutMs: 30_000,
    // A module of ours pins versitygw and its dependencies (go.sum) as a Go tool; built once.
    build: () =>
      cachedBuild('versitygw', [`${VGW_DIR}/go.mod`, `${VGW_DIR}/go.sum`], [VGW_BIN], () =>
        run('go', ['build', '-trimpath', '-o', VGW_BIN, 'github.com/versity/versitygw/cmd/versitygw'], VGW_DIR),
      ),
    command: () => {
      const root = `${DATA_DIR}/s3/buckets`;
      const meta = `${DATA_DIR}/s3/meta`;
      mkdirSync(root, { recursive: true });
      mkdirSync(meta, { recursive: true });
      return {
        command: VGW_BIN,
        // Object metadata (ETags, content types) in a sidecar folder rather than extended
        // attributes, which some file systems (tmpfs on older kernels, some overlays) lack.
        args: ['--port', `127.0.0.1:${port}`, '--quiet', 'posix', '--sidecar', meta, root],
        cwd: VGW_DIR,
        env: { ROOT_ACCESS_KEY: DEV_S3.accessKeyId, ROOT_SECRET_KEY: DEV_S3.secretAccessKey },
      };
    },
    // A signed ListBuckets: the server answers S3 and takes the credentials we export.
    healthy: async () => {
      if (!(await portOpen(port))) return false;
      const client = s3Client(settings);
      try {
        await client.send(new (sdk().ListBucketsCommand)({}), { abortSignal: AbortSignal.timeout(2000) });
        return true;
      } finally {
        client.destroy();
      }
    },
  };
}
