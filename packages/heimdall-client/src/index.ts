export { HeimdallClient, HeimdallSession, type HeimdallClientOptions } from './client.js';
export type { Decision, ObjectRef, RouterAuthorization, Subject } from './types.js';
