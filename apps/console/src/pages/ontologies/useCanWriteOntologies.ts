import { useQuery } from '@apollo/client/react';
import { ConsoleCanWriteOntologiesDocument } from '@dataos/client';

/**
 * Whether Heimdall lets the caller import ontologies (`write` on `/odin/ontologies`, what Odin
 * checks). Asked, not guessed from roles: the import controls show exactly when the API would
 * accept. Undefined while unknown.
 */
export function useCanWriteOntologies(): { allowed: boolean | undefined; reason: string | undefined } {
  const { data } = useQuery(ConsoleCanWriteOntologiesDocument, { fetchPolicy: 'cache-first' });
  return { allowed: data?.decide?.allowed, reason: data?.decide?.reason };
}
