import type { BaseContext } from '@dataos/subgraph-kit';

export type Context = BaseContext;
