export { buildLaunchers, startDevstack, type Devstack, type ServiceName, type ServiceState } from './devstack.js';
export { DEV_USERS, DEV_CLIENTS, DEFAULT_AUDIENCE, type DevUser } from './oidc/directory.js';
export { fetchDevToken, fetchServiceToken } from './tokens.js';
export { startIssuer, type RunningIssuer } from './oidc/server.js';
export { DATA_DIR } from './paths.js';
export { DEV_S3, ensureBucket, s3Client, s3SettingsFromEnv, type S3Settings } from './s3.js';
export { LAKEHOUSE_BUCKET, LAKEHOUSE_CATALOGS, trinoQuery, type TrinoAnswer } from './trino.js';
