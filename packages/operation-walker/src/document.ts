import {
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { conditionOf, type SelectionCondition } from './conditions.js';

/** A field of a selection set, with its definition looked up on the parent type. */
export interface FieldStep {
  kind: 'field';
  node: FieldNode;
  /** Response key: the alias, else the name. */
  key: string;
  name: string;
  /** Undefined for `__typename`, introspection and fields the parent does not have. */
  def?: GraphQLField<unknown, unknown>;
  /** The field's named type when it has a selection set of its own to walk. */
  composite?: GraphQLCompositeType;
  condition?: SelectionCondition;
}

/** An inline fragment or a fragment spread, with its type condition resolved. */
export interface FragmentStep {
  kind: 'fragment';
  node: InlineFragmentNode | FragmentSpreadNode;
  /** The named fragment, for spreads. */
  fragment?: FragmentDefinitionNode;
  /** The type condition's name, when there is one. */
  typeName?: string;
  /** What the selections apply to: the type condition, else the parent. */
  type: GraphQLCompositeType;
  selectionSet: SelectionSetNode;
  condition?: SelectionCondition;
}

export type Step = FieldStep | FragmentStep;

/**
 * An operation and its document, walked the same way by every pass (limits, authorization
 * analysis and filtering, response shaping): each selection set is resolved against its parent
 * type once, fragments are looked up once, and `@skip`/`@include` read by one `conditionOf`.
 * Selections that validation would refuse (unknown fragments, bad type conditions) are left out.
 */
export class OperationDocument {
  readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly resolved = new WeakMap<SelectionSetNode, Map<string, readonly Step[]>>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly document: DocumentNode,
    readonly operation: OperationDefinitionNode,
  ) {
    for (const def of document.definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(def.name.value, def);
    }
  }

  get root(): GraphQLCompositeType | undefined {
    return this.schema.getRootType(this.operation.operation) ?? undefined;
  }

  /** The selections of `set` under `parent`, resolved once per (set, parent). */
  steps(set: SelectionSetNode, parent: GraphQLCompositeType): readonly Step[] {
    let byParent = this.resolved.get(set);
    if (!byParent) this.resolved.set(set, (byParent = new Map()));
    let steps = byParent.get(parent.name);
    if (!steps) byParent.set(parent.name, (steps = this.resolve(set, parent)));
    return steps;
  }

  private resolve(set: SelectionSetNode, parent: GraphQLCompositeType): Step[] {
    const steps: Step[] = [];
    for (const selection of set.selections) {
      const condition = conditionOf(selection.directives);
      const conditional = condition ? { condition } : {};
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const def =
          name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))
            ? undefined
            : parent.getFields()[name];
        const named = def ? getNamedType(def.type) : undefined;
        steps.push({
          kind: 'field',
          node: selection,
          key: selection.alias?.value ?? name,
          name,
          ...(def ? { def } : {}),
          ...(def && selection.selectionSet && named && isCompositeType(named) ? { composite: named } : {}),
          ...conditional,
        });
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? this.fragments.get(selection.name.value) : undefined;
      if (selection.kind === Kind.FRAGMENT_SPREAD && !fragment) continue;
      const typeName =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.typeCondition?.name.value
          : fragment!.typeCondition.name.value;
      const found = typeName ? this.schema.getType(typeName) : parent;
      if (!found || !isCompositeType(found)) continue;
      steps.push({
        kind: 'fragment',
        node: selection,
        ...(fragment ? { fragment } : {}),
        ...(typeName ? { typeName } : {}),
        type: found,
        selectionSet: selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragment!.selectionSet,
        ...conditional,
      });
    }
    return steps;
  }
}
