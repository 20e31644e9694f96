import { useSyncExternalStore } from 'react';

/**
 * How the live connection is doing, for the badge on live pages: `live` while the router's
 * WebSocket is open and no subscription waits to resume, `reconnecting` while one does,
 * `connecting` before the socket is acknowledged, `idle` with no socket (nothing subscribed).
 */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting';

const state = { open: false, connecting: false, waiting: 0 };
let status: LiveStatus = 'idle';
const listeners = new Set<() => void>();

function update() {
  const next: LiveStatus =
    state.waiting > 0 ? 'reconnecting' : state.open ? 'live' : state.connecting ? 'connecting' : 'idle';
  if (next === status) return;
  status = next;
  for (const listener of listeners) listener();
}

export const liveStatus = {
  get: () => status,
  /** The socket is being opened (graphql-ws `connecting`). */
  connecting: () => {
    state.open = false;
    state.connecting = true;
    update();
  },
  /** The router acknowledged the connection (graphql-ws `connected`). */
  connected: () => {
    state.open = true;
    state.connecting = false;
    update();
  },
  /** The socket closed (a drop, or lazily after the last subscription ended). */
  closed: () => {
    state.open = false;
    state.connecting = false;
    update();
  },
  /** A subscription lost its run and waits to subscribe again. */
  retrying: () => {
    state.waiting++;
    update();
  },
  /** That subscription is being sent again (or was given up). */
  resumed: () => {
    state.waiting = Math.max(0, state.waiting - 1);
    update();
  },
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(liveStatus.subscribe, liveStatus.get, liveStatus.get);
}
