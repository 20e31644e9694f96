import { badUserInput } from '@dataos/errors';

/** `dataos://depot:collection/dataset` (DataOS UDL). */
const URN = /^dataos:\/\/[a-z][a-z0-9_-]*:[a-z0-9_-]+\/[a-z0-9_.-]+$/i;

export function assertUrn(urn: string, field = 'urn'): string {
  if (!URN.test(urn)) {
    throw badUserInput(`"${urn}" is not a dataset URN: expected dataos://depot:collection/dataset.`, { field });
  }
  return urn;
}
