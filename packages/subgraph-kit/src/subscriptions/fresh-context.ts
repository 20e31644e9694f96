import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';

/** Builds the context of one event of a subscription (keyed by the subscription's context). */
export const eventContexts = new WeakMap<object, () => Promise<unknown>>();

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof v === 'object' && v !== null && Symbol.asyncIterator in v;

/**
 * graphql-js's `subscribe`, except that each event is executed with a context of its own: the
 * DataLoaders and Heimdall decisions of a request are per request, and a subscription that lived
 * for hours on one context would serve stale, ever-growing caches. Never throws: a failure to
 * subscribe is an execution result with errors (graphql-ws then sends it and completes).
 */
export async function subscribeWithEventContexts(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  let stream: Awaited<ReturnType<typeof createSourceEventStream>>;
  try {
    stream = await createSourceEventStream(args);
  } catch (error) {
    return {
      errors: [
        error instanceof GraphQLError ? error : new GraphQLError(String(error), { originalError: error as Error }),
      ],
    };
  }
  if (!isAsyncIterable(stream)) return stream;
  const source = stream as AsyncIterableIterator<unknown>;
  const contextOf = eventContexts.get(args.contextValue as object);
  const run = async (payload: unknown) =>
    (await execute({
      ...args,
      rootValue: payload,
      contextValue: contextOf ? await contextOf() : args.contextValue,
    })) as ExecutionResult;
  // A plain iterator, not an async generator: return() must reach the source at once, even while
  // a next() waits for an event (a generator would queue it behind that next()).
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const item = await source.next();
      return item.done ? { value: undefined, done: true } : { value: await run(item.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
