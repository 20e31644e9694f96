import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from '@dataos/errors';

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badUserInput(`"${String(value)}" is not an ISO-8601 date-time.`);
  return date;
}

/** ISO-8601 date-times in UTC; accepts Date or string from resolvers. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date-time in UTC.',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: (value) => toDate(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badUserInput('A DateTime must be a string.');
    return toDate(ast.value);
  },
});
