import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBucket, s3Client, s3SettingsFromEnv } from '@dataos/devstack';
import { uniqueId } from '@dataos/testkit';

describe('S3-compatible server (versitygw over a folder)', () => {
  const settings = s3SettingsFromEnv();
  const client = s3Client(settings);
  const bucket = uniqueId('s3-test-');
  afterAll(async () => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => ({ Contents: [] }));
    for (const o of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
    await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => {});
    client.destroy();
  });

  it('is the server the devstack exports (S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION)', () => {
    expect(process.env.S3_ENDPOINT).toMatch(/^https?:\/\//);
    expect(process.env.S3_ACCESS_KEY_ID).toBeTruthy();
    expect(process.env.S3_SECRET_ACCESS_KEY).toBeTruthy();
    expect(process.env.S3_REGION).toBeTruthy();
    expect(settings.endpoint).toBe(process.env.S3_ENDPOINT);
  });

  it('creates a bucket once, however many callers ask at the same time', async () => {
    await Promise.all([ensureBucket(bucket, settings), ensureBucket(bucket, settings)]);
    await ensureBucket(bucket, settings);
    await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeTruthy();
    const { Buckets } = await client.send(new ListBucketsCommand({}));
    expect(Buckets?.filter((b) => b.Name === bucket)).toHaveLength(1);
  });

  it('puts, gets, lists by prefix (paginated) and deletes objects', async () => {
    await ensureBucket(bucket, settings);
    const keys = ['a/dt=1/x.json', 'a/dt=2/y.json', 'a/dt=2/z.json', 'b/w.json'];
    for (const Key of keys)
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key, Body: `{"key":"${Key}"}`, ContentType: 'application/json' }),
      );
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/dt=2/y.json' }));
    expect(await got.Body!.transformToString()).toBe('{"key":"a/dt=2/y.json"}');
    expect(got.ContentType).toBe('application/json');

    const page1 = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'a/', MaxKeys: 2 }));
    expect(page1.IsTruncated).toBe(true);
    const page2 = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'a/', ContinuationToken: page1.NextContinuationToken }),
    );
    expect([...(page1.Contents ?? []), ...(page2.Contents ?? [])].map((o) => o.Key)).toEqual(keys.slice(0, 3));

    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'b/w.json' }));
    await expect(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'b/w.json' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('refuses a request signed with the wrong secret', async () => {
    const intruder = s3Client({ ...settings, secretAccessKey: 'not-the-secret' });
    try {
      await expect(intruder.send(new ListBucketsCommand({}))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      intruder.destroy();
    }
  });
});
