import { ensureBucket, s3SettingsFromEnv } from '@dataos/devstack';

/** The bucket Caretaker archives history to in `npm run dev`. */
export const DEV_ARCHIVE_BUCKET = 'caretaker-archive';

/**
 * Caretaker's ARCHIVE_S3_* settings from the devstack's S3_* variables, with the bucket created
 * if absent. An archive configured by hand (ARCHIVE_S3_BUCKET or CARETAKER_ARCHIVE_DIR) wins.
 */
export async function caretakerArchiveEnv(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  if (env.ARCHIVE_S3_BUCKET || env.CARETAKER_ARCHIVE_DIR || !env.S3_ENDPOINT) return {};
  const s3 = s3SettingsFromEnv(env);
  await ensureBucket(DEV_ARCHIVE_BUCKET, s3);
  return {
    ARCHIVE_S3_BUCKET: DEV_ARCHIVE_BUCKET,
    ARCHIVE_S3_ENDPOINT: s3.endpoint,
    ARCHIVE_S3_REGION: s3.region,
    ARCHIVE_S3_FORCE_PATH_STYLE: 'true',
    ARCHIVE_S3_ACCESS_KEY_ID: s3.accessKeyId,
    ARCHIVE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
}
