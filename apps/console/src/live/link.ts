import { ApolloLink } from '@apollo/client/link';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { print } from '@apollo/client/utilities';
import type { FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import { Observable } from 'rxjs';
import { cursorOf, endingOf, isCloseLike, retryDelayMs, retryableErrors } from './resume.js';
import { liveStatus } from './status.js';

export interface ResumableLinkOptions {
  /** Waits before attempt n (0-based); injectable for tests. */
  delay?: (attempt: number) => number;
  /**
   * Called when a subscription that has no cursor yet (it delivered no event) subscribes again:
   * it resumes from "now", so what changed while it was down must be read again. By default the
   * operation's Apollo Client refetches its active queries (the page reads beside the feed).
   */
  onGap?: (operation: ApolloLink.Operation) => void;
}

/** Re-reads the pages on screen: their rows then merge with the feed as on a first load. */
function refetchActive(operation: ApolloLink.Operation): void {
  const client = operation.client as { refetchQueries?: (options: { include: 'active' }) => Promise<unknown> };
  void client.refetchQueries?.({ include: 'active' })?.catch(() => {});
}

/**
 * A terminating link for subscriptions over graphql-ws that survives drops without losing events.
 *
 * graphql-ws can reconnect by itself, but it re-sends the subscription exactly as first sent: with
 * the first `after`, or none, so events between the last one received and the reconnection would
 * be lost (or replayed from the start). This link turns graphql-ws's own retries off (the client
 * is created with `retryAttempts: 0`) and subscribes again itself, with `after` set to the cursor
 * of the last event it delivered. Caretaker and Heimdall keep events for an hour and a day, so a
 * drop shorter than that loses nothing.
 */
export class ResumableSubscriptionLink extends ApolloLink {
  private readonly delay: (attempt: number) => number;
  private readonly onGap: (operation: ApolloLink.Operation) => void;

  constructor(
    private readonly client: Client,
    options: ResumableLinkOptions = {},
  ) {
    super();
    this.delay = options.delay ?? ((attempt) => retryDelayMs(attempt));
    this.onGap = options.onGap ?? refetchActive;
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable<ApolloLink.Result>((observer) => {
      const query = print(operation.query);
      const { operationName, extensions } = operation;
      let after = typeof operation.variables.after === 'string' ? operation.variables.after : undefined;
      let attempt = 0;
      let retrying = false;
      let closed = false;
      let stop: (() => void) | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onGap = this.onGap;

      const retry = () => {
        if (closed || retrying) return;
        retrying = true;
        liveStatus.retrying();
        timer = setTimeout(() => {
          retrying = false;
          liveStatus.resumed();
          start();
          // No cursor to resume from: the feed starts at "now", so read what it missed.
          if (!after && !closed) onGap(operation);
        }, this.delay(attempt++));
      };

      function start(this: void) {
        if (closed) return;
        let resumeRequested = false;
        const variables = { ...operation.variables, ...(after ? { after } : {}) };
        stop = client.subscribe<Record<string, unknown>>(
          { query, variables, ...(operationName ? { operationName } : {}), ...(extensions ? { extensions } : {}) },
          {
            next: (result) => {
              const formatted = result as FormattedExecutionResult;
              if (retryableErrors(formatted).length) {
                // The router ends this run; the complete that follows starts the next one.
                resumeRequested = true;
                return;
              }
              const cursor = cursorOf(formatted.data);
              if (cursor) after = cursor;
              attempt = 0;
              observer.next(formatted as ApolloLink.Result);
            },
            error: (error: unknown) => {
              if (closed) return;
              if (endingOf(error) === 'retry') return retry();
              closed = true;
              observer.error(
                isCloseLike(error)
                  ? new Error(`The live connection closed (${error.code}${error.reason ? `: ${error.reason}` : ''}).`)
                  : Array.isArray(error)
                    ? new CombinedGraphQLErrors({ errors: error })
                    : error instanceof Error
                      ? error
                      : new Error('The live connection failed.'),
              );
            },
            complete: () => {
              if (closed) return;
              if (resumeRequested) return retry();
              closed = true;
              observer.complete();
            },
          },
        );
      }
      const client = this.client;
      start();
      return () => {
        closed = true;
        if (timer) clearTimeout(timer);
        if (retrying) liveStatus.resumed();
        stop?.();
      };
    });
  }
}
