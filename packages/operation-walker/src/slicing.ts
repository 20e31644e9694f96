import { Kind, type FieldNode, type GraphQLField, type OperationDefinitionNode, type ValueNode } from 'graphql';
import type { ListSize } from './cost-directives.js';

/** Arguments read as a list field's page size when the schema names none, in this order. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];

export interface SliceSize {
  /** The size the arguments give; undefined when none does. */
  size?: number;
  /** Some slicing argument is a variable: the size may change with each request's variables. */
  dependsOnVariables: boolean;
  /** `@listSize(requireOneSlicingArgument: true)` and not exactly one slicing argument has a value. */
  violation?: { slicingArguments: readonly string[]; given: number };
}

/** What a variable holds: its value, else its default; `unknown` before the variables are known. */
function variableValue(
  value: ValueNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number | null | undefined | 'unknown' {
  if (value.kind !== Kind.VARIABLE) return undefined;
  const name = value.name.value;
  const given = variables?.[name];
  if (typeof given === 'number' && Number.isFinite(given)) return Math.max(0, given);
  if (given === null) return null;
  const declared = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
  if (declared?.kind === Kind.INT) return Number(declared.value);
  return variables === undefined ? 'unknown' : undefined;
}

/**
 * The size a field's arguments give its list. Without `@listSize(slicingArguments:)`, the first
 * of `first`, `last`, `limit` the client sent (literal, variable's value, variable's default),
 * else the first of them the schema gives a default. With it, the largest of the slicing
 * arguments that have a value (the schema's defaults included), as Apollo Router does; and
 * with `requireOneSlicingArgument`, exactly one must have a value.
 */
export function sliceSize(
  field: FieldNode,
  def: GraphQLField<unknown, unknown>,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  listSize?: ListSize,
): SliceSize {
  let dependsOnVariables = false;
  const slicing = listSize?.slicingArguments;
  if (!slicing) {
    // What the client sent comes first, whatever the order of the names.
    for (const name of SIZE_ARGUMENTS) {
      const value = field.arguments?.find((a) => a.name.value === name)?.value;
      if (!value) continue;
      if (value.kind === Kind.INT) return { size: Number(value.value), dependsOnVariables };
      if (value.kind === Kind.VARIABLE) {
        dependsOnVariables = true;
        const v = variableValue(value, operation, variables);
        if (typeof v === 'number') return { size: v, dependsOnVariables };
        if (v === undefined || v === 'unknown') continue; // not sent: another argument, or the schema's default, applies
      }
      // Sent, but no number (null): no size from the arguments.
      return { dependsOnVariables };
    }
    for (const name of SIZE_ARGUMENTS) {
      const declared = def.args.find((a) => a.name === name);
      if (declared && typeof declared.defaultValue === 'number')
        return { size: declared.defaultValue, dependsOnVariables };
    }
    return { dependsOnVariables };
  }
  const values = new Map<string, number>();
  let unknown = false;
  for (const declared of def.args) {
    if (slicing.includes(declared.name) && typeof declared.defaultValue === 'number')
      values.set(declared.name, declared.defaultValue);
  }
  for (const arg of field.arguments ?? []) {
    const name = arg.name.value;
    if (!slicing.includes(name)) continue;
    if (arg.value.kind === Kind.INT) values.set(name, Number(arg.value.value));
    else if (arg.value.kind === Kind.NULL) values.delete(name);
    else if (arg.value.kind === Kind.VARIABLE) {
      dependsOnVariables = true;
      const v = variableValue(arg.value, operation, variables);
      if (v === 'unknown') unknown = true;
      else if (v === null) values.delete(name);
      else if (v !== undefined) values.set(name, v);
    }
  }
  let size: number | undefined;
  for (const v of values.values()) size = Math.max(size ?? 0, v);
  const result: SliceSize = { ...(size !== undefined ? { size } : {}), dependsOnVariables };
  // Before the variables are known, the count is not: it is checked with each request's.
  if (listSize.requireOneSlicingArgument && !unknown && values.size !== 1)
    result.violation = { slicingArguments: slicing, given: values.size };
  return result;
}
