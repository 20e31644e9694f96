import { randomBytes } from 'node:crypto';

/** A short unique suffix, to isolate a test's data (database names, URNs, labels). */
export const uniqueId = (prefix = 't') => `${prefix}${randomBytes(4).toString('hex')}`;
