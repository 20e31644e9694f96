/**
 * Heimdall object paths of Caretaker (policies grant them with `/caretaker/**`); resolvers ask
 * with the kit's `requireAllowed` before they validate anything.
 */
export const PATHS = {
  pods: '/caretaker/pods',
  nodes: '/caretaker/nodes',
  ingest: '/caretaker/ingest',
  archive: '/caretaker/archive',
} as const;
