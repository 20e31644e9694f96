import type { ReactNode } from 'react';
import { errorKind, errorsAt, serviceOf, type PathKey } from '../graphql/errors.js';
import { NoAccess } from './NoAccess.js';
import { SubgraphDown } from './SubgraphDown.js';

interface Props {
  /** The query's error (Apollo's `error`, partial data kept). */
  error: unknown;
  /** The field this part shows, e.g. `['dataset', 'concepts']`. */
  path: readonly PathKey[];
  /** What the user would see there, for the "no access" hint. */
  what?: string;
  children: ReactNode;
}

/**
 * One part of a page: its children when its field answered; a quiet "no access" when the user
 * may not see it; a notice naming the service when that service is down. Other errors fall through
 * to the children, which show whatever data came back.
 */
export function Part({ error, path, what, children }: Props) {
  const errors = errorsAt(error, path);
  const down = errors.find((e) => errorKind(e) === 'subgraph-down');
  if (down) return <SubgraphDown service={serviceOf(down)} />;
  if (errors.some((e) => errorKind(e) === 'no-access')) return <NoAccess {...(what ? { what } : {})} />;
  return <>{children}</>;
}
