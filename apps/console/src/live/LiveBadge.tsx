import { useLiveStatus } from './status.js';

const TEXT = {
  idle: 'Not live',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
} as const;

/** Says whether what the page shows is updating by itself; a polite live region, so screen readers hear a drop. */
export function LiveBadge() {
  const status = useLiveStatus();
  return (
    <span className={`live-badge live-${status}`} role="status" aria-live="polite" data-status={status}>
      {TEXT[status]}
    </span>
  );
}
