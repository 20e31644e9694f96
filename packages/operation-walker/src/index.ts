export { OperationDocument, type Step, type FieldStep, type FragmentStep } from './document.js';
export { booleanDefaults, conditionOf, isSkipped, type SelectionCondition } from './conditions.js';
export { measureOperation, type OperationShape, type SlicingViolation } from './measure.js';
export {
  NO_COST_DIRECTIVES,
  costDirectivesAreEmpty,
  costDirectivesOf,
  costDirectivesOfSchema,
  type CostDirectives,
  type ListSize,
} from './cost-directives.js';
export {
  DEFAULT_LIMITS,
  LimitCode,
  MAX_INTROSPECTION_LIST_DEPTH,
  checkLimits,
  limitsFromEnv,
  limitsOf,
  LIMIT_SETTINGS,
  type OperationLimits,
} from './limits.js';
