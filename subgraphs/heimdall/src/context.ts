import type { BaseContext } from '@dataos/subgraph-kit';
import type { PolicyIndex } from './policy-index.js';
import type { DecisionLog } from './store/decision-log.js';
import type { PolicyRepository } from './store/policies.js';
import type { UserTagRepository } from './store/user-tags.js';

export interface Context extends BaseContext {
  index: PolicyIndex;
  policies: PolicyRepository;
  userTags: UserTagRepository;
  decisionLog: DecisionLog;
}
