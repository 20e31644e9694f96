export { HEIMDALL_CLIENT_SETTINGS, HeimdallClient, HeimdallSession, type HeimdallClientOptions } from './client.js';
export { checkProblem, MAX_OBJECT_NAME, MAX_OBJECT_TAGS } from './checks.js';
export { ServiceTokenSource, type ServiceCredentials } from '@dataos/service-identity';
export { SUBJECT_TOKEN_HEADER, type TransportLog } from './transport.js';
export type { Decision, ObjectRef, RouterAuthorization, Subject } from './types.js';
export { compileGrants, Grants, type GrantPatterns, type GrantsAnswer, type GrantVerdict } from './grants.js';
