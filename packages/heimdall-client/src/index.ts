export { HeimdallClient, HeimdallSession, type HeimdallClientOptions } from './client.js';
export { checkProblem, MAX_OBJECT_NAME, MAX_OBJECT_TAGS } from './checks.js';
export type { TransportLog } from './transport.js';
export type { Decision, ObjectRef, RouterAuthorization, Subject } from './types.js';
