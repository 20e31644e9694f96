import type { CursorCodec } from '@dataos/subgraph-kit';

export interface Page<T, K = string> {
  items: T[];
  hasNextPage: boolean;
  /** The sort key the next page starts after (possibly of a row the caller cannot see). */
  endKey: K | null;
}

/** Rounds of scanning at most; each round reads `first + 1` times 4^round rows, up to MAX_SCAN. */
const ROUNDS = 4;
const MAX_SCAN = 2000;

/**
 * A keyset page of the rows the caller may see. Rows come in key order from `fetch`; hidden rows
 * are skipped by scanning further, within a bounded number of rounds (so a request costs a bounded
 * number of round trips whatever the data). When the rounds run out the page is shorter and ends
 * on the last row scanned; the cursor is sealed, so that row's key stays secret.
 */
export async function visiblePage<T, K = string>(options: {
  first: number;
  after: K;
  fetch: (after: K, scan: number) => Promise<T[]>;
  keyOf: (row: T) => K;
  visible: (rows: T[]) => Promise<T[]>;
}): Promise<Page<T, K>> {
  const { first, keyOf } = options;
  const items: T[] = [];
  let after = options.after;
  for (let round = 0; round < ROUNDS; round++) {
    const scan = Math.min(MAX_SCAN, (first + 1) * 4 ** round);
    const rows = await options.fetch(after, scan);
    const visible = await options.visible(rows);
    for (const row of visible) {
      items.push(row);
      if (items.length > first) {
        const page = items.slice(0, first);
        return { items: page, hasNextPage: true, endKey: keyOf(page.at(-1)!) };
      }
    }
    if (rows.length < scan) return { items, hasNextPage: false, endKey: items.length ? keyOf(items.at(-1)!) : null };
    after = keyOf(rows.at(-1)!);
  }
  return { items, hasNextPage: true, endKey: after };
}

export function connection<T, K>(cursors: CursorCodec, kind: string, page: Page<T, K>, keyOf: (row: T) => K) {
  return {
    edges: page.items.map((node) => ({ cursor: cursors.encode(kind, keyOf(node)), node })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      endCursor: page.endKey === null ? null : cursors.encode(kind, page.endKey),
    },
  };
}
