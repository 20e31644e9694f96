import { useSyncExternalStore } from 'react';

/**
 * How the live connection is doing, for the badge on live pages: `live` once the router
 * acknowledged the connection, `reconnecting` while a dropped subscription waits to resume,
 * `idle` before anything subscribed.
 */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting';

let status: LiveStatus = 'idle';
/** Subscriptions waiting to resume: the badge says reconnecting until none is. */
let waiting = 0;
const listeners = new Set<() => void>();

function emit(next: LiveStatus) {
  if (next === status) return;
  status = next;
  for (const listener of listeners) listener();
}

export const liveStatus = {
  get: () => status,
  connecting: () => emit(waiting > 0 ? 'reconnecting' : 'connecting'),
  connected: () => emit(waiting > 0 ? 'reconnecting' : 'live'),
  retrying: () => {
    waiting++;
    emit('reconnecting');
  },
  resumed: () => {
    waiting = Math.max(0, waiting - 1);
    if (waiting === 0 && status === 'reconnecting') emit('live');
  },
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(liveStatus.subscribe, liveStatus.get, liveStatus.get);
}
