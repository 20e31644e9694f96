import type { ArchiveStore } from './store.js';
import { assertKey } from './store.js';

/**
 * The part of `@aws-sdk/client-s3` used here, typed loosely: the SDK is loaded with a dynamic
 * `import()` only when `ARCHIVE_S3_BUCKET` is set, so Caretaker builds and runs without it.
 */
interface S3Module {
  S3Client: new (config: Record<string, unknown>) => S3ClientLike;
  PutObjectCommand: new (input: Record<string, unknown>) => unknown;
  GetObjectCommand: new (input: Record<string, unknown>) => unknown;
  ListObjectsV2Command: new (input: Record<string, unknown>) => unknown;
  DeleteObjectCommand: new (input: Record<string, unknown>) => unknown;
}

interface S3ClientLike {
  send(command: unknown): Promise<unknown>;
}

interface GetObjectOutput {
  Body?: { transformToByteArray(): Promise<Uint8Array> };
}
interface ListOutput {
  Contents?: { Key?: string }[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
}

const SDK = '@aws-sdk/client-s3';

export interface S3ArchiveOptions {
  bucket: string;
  /** Key prefix inside the bucket, e.g. `caretaker/` (ARCHIVE_S3_PREFIX). */
  prefix?: string;
  region?: string;
  /** S3-compatible endpoints (versitygw, Ceph, R2): ARCHIVE_S3_ENDPOINT, usually with path-style addressing. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** ARCHIVE_S3_ACCESS_KEY_ID and ARCHIVE_S3_SECRET_ACCESS_KEY; otherwise the SDK's default chain (AWS_*, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Keys per listing page (the server's default, 1000, when unset). */
  maxKeys?: number;
}

/**
 * Objects in an S3 bucket (or any S3-compatible store). Tested against a real S3-compatible
 * server (the devstack's versitygw), never a stand-in client.
 */
export class S3ArchiveStore implements ArchiveStore {
  readonly location: string;
  private readonly prefix: string;

  constructor(
    private readonly sdk: S3Module,
    private readonly client: S3ClientLike,
    private readonly options: S3ArchiveOptions,
  ) {
    this.prefix = options.prefix ?? '';
    this.location = `s3://${options.bucket}/${this.prefix}`;
  }

  static async create(options: S3ArchiveOptions): Promise<S3ArchiveStore> {
    let sdk: S3Module;
    try {
      sdk = (await import(SDK)) as S3Module;
    } catch (error) {
      throw new Error(`ARCHIVE_S3_BUCKET is set but ${SDK} is not installed: ${(error as Error).message}`);
    }
    const s3 = new sdk.S3Client({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    });
    return new S3ArchiveStore(sdk, s3, options);
  }

  static async fromEnv(env: NodeJS.ProcessEnv): Promise<S3ArchiveStore> {
    const accessKeyId = env.ARCHIVE_S3_ACCESS_KEY_ID || undefined;
    const secretAccessKey = env.ARCHIVE_S3_SECRET_ACCESS_KEY || undefined;
    // Half a key pair would silently fall back to the default chain: refuse it instead.
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
      throw new Error('ARCHIVE_S3_ACCESS_KEY_ID and ARCHIVE_S3_SECRET_ACCESS_KEY must be set together');
    }
    return S3ArchiveStore.create({
      bucket: env.ARCHIVE_S3_BUCKET!,
      prefix: env.ARCHIVE_S3_PREFIX ?? 'caretaker/',
      region: env.ARCHIVE_S3_REGION || env.AWS_REGION,
      endpoint: env.ARCHIVE_S3_ENDPOINT || undefined,
      forcePathStyle: env.ARCHIVE_S3_FORCE_PATH_STYLE ? env.ARCHIVE_S3_FORCE_PATH_STYLE === 'true' : undefined,
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    });
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new this.sdk.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.prefix + assertKey(key),
        Body: body,
        ContentType: contentType,
        ContentLength: body.byteLength,
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const out = (await this.client.send(
        new this.sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + assertKey(key) }),
      )) as GetObjectOutput;
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = (await this.client.send(
        new this.sdk.ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: this.prefix + prefix,
          ...(this.options.maxKeys ? { MaxKeys: this.options.maxKeys } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      )) as ListOutput;
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.prefix.length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(
      new this.sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + assertKey(key) }),
    );
  }
}
