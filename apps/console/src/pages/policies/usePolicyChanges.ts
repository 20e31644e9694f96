import { useState } from 'react';
import { useApolloClient, useSubscription } from '@apollo/client/react';
import {
  ConsoleCapabilitiesDocument,
  ConsolePolicyChangesDocument,
  type ConsolePolicyChangesSubscription,
} from '@dataos/client';

export type PolicyChange = ConsolePolicyChangesSubscription['policyChanges'];

/**
 * Heimdall's policy changes, live: each one refetches the queries named (the list shown) and the
 * console's capabilities (a change may grant or take a screen), and is handed to `onChange`.
 */
export function usePolicyChanges(refetch: string[], onChange?: (change: PolicyChange) => void, skip = false) {
  const client = useApolloClient();
  const [last, setLast] = useState<PolicyChange | undefined>();
  const { error } = useSubscription(ConsolePolicyChangesDocument, {
    skip,
    onData: ({ data }) => {
      const change = data.data?.policyChanges;
      if (!change) return;
      setLast(change);
      onChange?.(change);
      void client.refetchQueries({ include: [...refetch, ConsoleCapabilitiesDocument] });
    },
  });
  return { last, error };
}
