import { useQuery } from '@apollo/client/react';
import { ConsoleCanWriteOntologiesDocument } from '@dataos/client';

/**
 * Whether Heimdall lets the caller import ontologies (`write` on `/odin/ontologies`, what Odin
 * checks). Asked, not guessed from roles: the import controls show exactly when the API would
 * accept. Undefined while unknown; false, with the reason, when the question itself failed.
 */
export function useCanWriteOntologies(): { allowed: boolean | undefined; reason: string | undefined } {
  const { data, error, loading } = useQuery(ConsoleCanWriteOntologiesDocument, { fetchPolicy: 'cache-first' });
  const decision = data?.decide;
  if (decision) return { allowed: decision.allowed, reason: decision.reason };
  if (loading) return { allowed: undefined, reason: undefined };
  return { allowed: false, reason: error ? 'your permissions could not be checked right now' : undefined };
}
