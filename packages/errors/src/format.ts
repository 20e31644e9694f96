import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './codes.js';
import { isPublicCode } from './errors.js';

/**
 * Apollo Server `formatError`: never leak stack traces, and replace the message of
 * unexpected errors (driver failures, bugs) with a generic one. The original goes to `log`.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  original: unknown,
  log?: (error: unknown) => void,
): GraphQLFormattedError {
  const { stacktrace: _stack, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  const code = extensions.code ?? ErrorCode.Internal;
  if (isPublicCode(code)) return { ...formatted, extensions: { ...extensions, code } };
  log?.(original);
  return {
    message: 'Internal server error.',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.Internal },
  };
}
