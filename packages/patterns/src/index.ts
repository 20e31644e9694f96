export {
  compilePattern,
  matches,
  matchesNormalized,
  patternMatches,
  patternProblem,
  MAX_PATTERN_LENGTH,
  type Pattern,
} from './pattern.js';
export { normalize, normalizePath, separatorsOf, URN_SCHEME, type PatternKind } from './kinds.js';
export { literalPrefix } from './parse.js';
export { PatternError } from './errors.js';
export { PatternSet } from './pattern-set.js';
