import { useCallback, useEffect, useRef, useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import {
  ConsoleExplainDocument,
  ConsoleRunQueryDocument,
  type ConsoleExplainQuery,
  type ConsoleRunQueryQuery,
} from '@dataos/client';
import { graphQLErrors, requestFailure } from '../../graphql/errors.js';
import { appendPage, firstPage, PAGE_SIZE, ResultShapeChanged, type ResultState } from './resultPages.js';
import { shownError, type ShownError } from './sqlErrors.js';

export type Plan = ConsoleExplainQuery['explain'];

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; sql: string; cluster: string | undefined }
  | {
      status: 'done';
      sql: string;
      /** As chosen (undefined: the default), kept for the next pages' cursor. */
      cluster: string | undefined;
      /** The cluster the Gateway ran it on. */
      ranOn: string;
      result: ResultState;
      plan: Plan | null;
      planError: string | null;
    }
  | { status: 'explained'; sql: string; plan: Plan }
  | { status: 'failed'; sql: string; error: ShownError }
  | { status: 'cancelled'; sql: string };

type Answer<T> = { data?: T | undefined; error?: unknown };

/** Turns an answer without data into the error the Workbench shows (GraphQL errors first). */
function failure(answer: Answer<unknown>, sql: string): ShownError {
  return (
    shownError(graphQLErrors(answer.error), sql) ?? {
      message: requestFailure(answer.error) ?? 'The Gateway gave no answer.',
      code: null,
      reason: null,
      at: null,
    }
  );
}

const toPage = (page: ConsoleRunQueryQuery['runQuery']) => ({ ...page, rows: page.rows as unknown[] });

/**
 * Runs SQL through the Gateway as the signed-in user: the first page and the plan (which columns are
 * masked by which policy, which row filters apply) in parallel, later pages by cursor. The Gateway
 * has no cancel operation: "Cancel" aborts the request, so the console stops waiting and the
 * Gateway ends the query at its own time limit.
 */
export function useWorkbench() {
  const client = useApolloClient();
  const [state, setState] = useState<RunState>({ status: 'idle' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const inflight = useRef<AbortController | null>(null);

  useEffect(() => () => inflight.current?.abort(), []);

  const request = useCallback(
    <T>(
      query: typeof ConsoleRunQueryDocument | typeof ConsoleExplainDocument,
      variables: object,
      signal: AbortSignal,
    ) =>
      client.query({
        query: query as typeof ConsoleRunQueryDocument,
        variables: variables as never,
        fetchPolicy: 'no-cache',
        // Two runs of the same SQL are two runs (history, fresh rows): no deduplication.
        context: { fetchOptions: { signal }, queryDeduplication: false },
      }) as unknown as Promise<Answer<T>>,
    [client],
  );

  const begin = () => {
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    return controller;
  };

  const run = useCallback(
    async (sql: string, cluster: string | undefined) => {
      const controller = begin();
      setState({ status: 'running', sql, cluster });
      setMoreError(null);
      const vars = { sql, ...(cluster ? { cluster } : {}) };
      const [ran, explained] = await Promise.allSettled([
        request<ConsoleRunQueryQuery>(ConsoleRunQueryDocument, { ...vars, limit: PAGE_SIZE }, controller.signal),
        request<ConsoleExplainQuery>(ConsoleExplainDocument, vars, controller.signal),
      ]);
      if (controller.signal.aborted) return;
      inflight.current = null;
      if (ran.status === 'rejected') {
        setState({ status: 'failed', sql, error: failure({ error: ran.reason }, sql) });
        return;
      }
      const page = ran.value.data?.runQuery;
      if (!page) {
        setState({ status: 'failed', sql, error: failure(ran.value, sql) });
        return;
      }
      const plan = explained.status === 'fulfilled' ? (explained.value.data?.explain ?? null) : null;
      const planError =
        plan !== null
          ? null
          : explained.status === 'fulfilled'
            ? failure(explained.value, sql).message
            : failure({ error: explained.reason }, sql).message;
      setState({ status: 'done', sql, cluster, ranOn: page.cluster, result: firstPage(toPage(page)), plan, planError });
    },
    [request],
  );

  const explain = useCallback(
    async (sql: string, cluster: string | undefined) => {
      const controller = begin();
      setState({ status: 'running', sql, cluster });
      const answer = await request<ConsoleExplainQuery>(
        ConsoleExplainDocument,
        { sql, ...(cluster ? { cluster } : {}) },
        controller.signal,
      ).catch((e: unknown) => ({ error: e }) as Answer<ConsoleExplainQuery>);
      if (controller.signal.aborted) return;
      inflight.current = null;
      const plan = answer.data?.explain;
      setState(plan ? { status: 'explained', sql, plan } : { status: 'failed', sql, error: failure(answer, sql) });
    },
    [request],
  );

  const loadMore = useCallback(async () => {
    if (state.status !== 'done' || !state.result.cursor || loadingMore) return;
    const { sql, cluster, result } = state;
    const controller = begin();
    setLoadingMore(true);
    setMoreError(null);
    try {
      const answer = await request<ConsoleRunQueryQuery>(
        ConsoleRunQueryDocument,
        { sql, limit: PAGE_SIZE, cursor: result.cursor, ...(cluster ? { cluster } : {}) },
        controller.signal,
      );
      if (controller.signal.aborted) return;
      const page = answer.data?.runQuery;
      if (!page) {
        setMoreError(failure(answer, sql).message);
        return;
      }
      setState((old) => (old === state ? { ...state, result: appendPage(result, toPage(page)) } : old));
    } catch (e) {
      if (!controller.signal.aborted)
        setMoreError(e instanceof ResultShapeChanged || e instanceof Error ? e.message : String(e));
    } finally {
      if (inflight.current === controller) inflight.current = null;
      setLoadingMore(false);
    }
  }, [state, loadingMore, request]);

  const cancel = useCallback(() => {
    const controller = inflight.current;
    if (!controller) return;
    controller.abort();
    inflight.current = null;
    setLoadingMore(false);
    setState((old) => (old.status === 'running' ? { status: 'cancelled', sql: old.sql } : old));
  }, []);

  return {
    state,
    run,
    explain,
    loadMore,
    cancel,
    loadingMore,
    moreError,
    busy: state.status === 'running' || loadingMore,
  };
}
