import { inject } from 'vitest';

// Workers read the devstack's addresses like services do: from the environment.
Object.assign(process.env, inject('devstackEnv'));
