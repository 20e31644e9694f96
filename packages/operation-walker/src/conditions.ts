import { Kind, type DirectiveNode, type OperationDefinitionNode } from 'graphql';

/** `@skip` and `@include` of a selection: constants, or names of Boolean variables. */
export interface SelectionCondition {
  skip?: boolean | string;
  include?: boolean | string;
}

function ifArgument(directive: DirectiveNode | undefined): boolean | string | undefined {
  const value = directive?.arguments?.find((a) => a.name.value === 'if')?.value;
  if (value?.kind === Kind.BOOLEAN) return value.value;
  if (value?.kind === Kind.VARIABLE) return value.name.value;
  return undefined;
}

/** The condition a selection's directives put on it, or undefined when there is none. */
export function conditionOf(directives: readonly DirectiveNode[] | undefined): SelectionCondition | undefined {
  if (!directives?.length) return undefined;
  const skip = ifArgument(directives.find((d) => d.name.value === 'skip'));
  const include = ifArgument(directives.find((d) => d.name.value === 'include'));
  if (skip === undefined && include === undefined) return undefined;
  return { ...(skip !== undefined ? { skip } : {}), ...(include !== undefined ? { include } : {}) };
}

/** Boolean defaults of the operation's variables (what `@skip(if: $v)` reads when $v is not sent). */
export function booleanDefaults(operation: OperationDefinitionNode): Record<string, boolean> {
  const defaults: Record<string, boolean> = {};
  for (const def of operation.variableDefinitions ?? []) {
    if (def.defaultValue?.kind === Kind.BOOLEAN) defaults[def.variable.name.value] = def.defaultValue.value;
  }
  return defaults;
}

const valueOf = (condition: boolean | string, variables: Record<string, unknown>, defaults: Record<string, boolean>) =>
  typeof condition === 'boolean' ? condition : (variables[condition] ?? defaults[condition]) === true;

/** Whether any of the conditions leaves the selection out of the answer for these variables. */
export function isSkipped(
  conditions: readonly SelectionCondition[],
  variables: Record<string, unknown>,
  defaults: Record<string, boolean>,
): boolean {
  return conditions.some(
    (c) =>
      (c.skip !== undefined && valueOf(c.skip, variables, defaults)) ||
      (c.include !== undefined && !valueOf(c.include, variables, defaults)),
  );
}
