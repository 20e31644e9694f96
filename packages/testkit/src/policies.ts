import { graphql } from './http.js';
import { tokenFor } from './tokens.js';

export interface TestPolicy {
  name: string;
  effect?: 'ALLOW' | 'DENY';
  subjects: string[][];
  actions: string[];
  objects: { paths?: string[]; tags?: string[] };
}

/** Creates access policies in a test Heimdall through its API, as carol (admin). */
export async function createPolicies(heimdallUrl: string, policies: TestPolicy[]): Promise<void> {
  const token = await tokenFor('carol');
  for (const policy of policies) {
    const res = await graphql(heimdallUrl, 'mutation ($input: PolicyInput!) { createPolicy(input: $input) { name } }', {
      token,
      variables: { input: { effect: 'ALLOW', ...policy } },
    });
    if (res.errors) throw new Error(`createPolicy ${policy.name}: ${res.errors.map((e) => e.message).join('; ')}`);
  }
}
