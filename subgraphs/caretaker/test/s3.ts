import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ensureBucket, s3Client, s3SettingsFromEnv } from '@dataos/devstack';
import { uniqueId } from '@dataos/testkit';
import { S3ArchiveStore, type S3ArchiveOptions } from '../src/archive/s3.js';

/**
 * A bucket of its own on the devstack's S3-compatible server (S3_* variables), removed with
 * everything in it by `remove`; `store()` gives archive stores on it, as Caretaker makes them.
 */
export async function testBucket(): Promise<{
  bucket: string;
  store(options?: Partial<S3ArchiveOptions>): Promise<S3ArchiveStore>;
  keys(prefix?: string): Promise<string[]>;
  remove(): Promise<void>;
}> {
  const settings = s3SettingsFromEnv();
  const bucket = uniqueId('caretaker-test-');
  await ensureBucket(bucket, settings);
  const client = s3Client(settings);
  const keys = async (prefix = '') => {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      out.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  };
  return {
    bucket,
    keys,
    store: (options = {}) =>
      S3ArchiveStore.create({
        bucket,
        prefix: 'caretaker/',
        endpoint: settings.endpoint,
        region: settings.region,
        credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
        ...options,
      }),
    async remove() {
      try {
        const all = await keys();
        for (let i = 0; i < all.length; i += 1000) {
          const Objects = all.slice(i, i + 1000).map((Key) => ({ Key }));
          await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects } }));
        }
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      } finally {
        client.destroy();
      }
    },
  };
}
