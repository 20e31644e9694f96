// Typed documents and result types for every operation in operations/*.graphql.
export * from './generated/graphql.js';
