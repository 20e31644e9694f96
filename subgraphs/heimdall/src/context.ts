import type { TokenVerifier } from '@dataos/auth';
import type { BaseContext } from '@dataos/subgraph-kit';
import type { DecisionExporter } from './export/index.js';
import type { PolicyChanges } from './live/changes.js';
import type { DecisionFeed } from './live/decisions.js';
import type { PolicyIndex } from './policy-index.js';
import type { RequestDecisionLog } from './request-log.js';
import type { HeimdallSettings } from './settings.js';
import type { DecisionLog } from './store/decision-log.js';
import type { PolicyRepository } from './store/policies.js';
import type { SubjectProfiles } from './store/subject-profiles.js';
import type { UserTagRepository } from './store/user-tags.js';

export interface Context extends BaseContext {
  index: PolicyIndex;
  policies: PolicyRepository;
  userTags: UserTagRepository;
  /** What the last verified token of each subject said: decisions about others use it. */
  profiles: SubjectProfiles;
  decisionLog: DecisionLog;
  /** Where decisions are also exported (HEIMDALL_DECISION_EXPORT), or null. */
  exporter: DecisionExporter | null;
  /** This request's share of the decision log: every decision is recorded through it. */
  requestLog: RequestDecisionLog;
  settings: HeimdallSettings;
  /** Verifies a subject token the router sends on behalf of its caller (the verifier of the bearer tokens). */
  verifier: TokenVerifier;
  /** Policy changes of every replica (the `policyChanges` subscription). */
  changes: PolicyChanges;
  /** Decisions of every replica as they are logged (the `decisionLogged` subscription). */
  liveDecisions: DecisionFeed;
  /** Events waiting per subscriber at most (the kit's SUBSCRIPTION_BUFFER). */
  liveBuffer: number;
  /** `X-DataOS-Subject-Token` as sent (set by the request-state plugin before any resolver runs). */
  subjectToken?: string;
}
