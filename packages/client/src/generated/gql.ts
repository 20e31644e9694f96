/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DatasetWithConcepts($urn: ID!) {\n  dataset(urn: $urn) {\n    urn\n    name\n    layer\n    columns {\n      name\n      type\n      tags\n    }\n    concepts {\n      iri\n      label\n    }\n  }\n}\n\nquery DatasetPage($first: Int, $after: String) {\n  datasets(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        urn\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.DatasetWithConceptsDocument,
    "query WhoAmI {\n  whoami {\n    id\n    type\n    tags\n    expiresAt\n  }\n}": typeof types.WhoAmIDocument,
    "query OperationsOverview {\n  clusters {\n    name\n    engine\n    state\n  }\n  pods {\n    namespace\n    name\n    phase\n    restarts\n  }\n}": typeof types.OperationsOverviewDocument,
};
const documents: Documents = {
    "query DatasetWithConcepts($urn: ID!) {\n  dataset(urn: $urn) {\n    urn\n    name\n    layer\n    columns {\n      name\n      type\n      tags\n    }\n    concepts {\n      iri\n      label\n    }\n  }\n}\n\nquery DatasetPage($first: Int, $after: String) {\n  datasets(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        urn\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.DatasetWithConceptsDocument,
    "query WhoAmI {\n  whoami {\n    id\n    type\n    tags\n    expiresAt\n  }\n}": types.WhoAmIDocument,
    "query OperationsOverview {\n  clusters {\n    name\n    engine\n    state\n  }\n  pods {\n    namespace\n    name\n    phase\n    restarts\n  }\n}": types.OperationsOverviewDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DatasetWithConcepts($urn: ID!) {\n  dataset(urn: $urn) {\n    urn\n    name\n    layer\n    columns {\n      name\n      type\n      tags\n    }\n    concepts {\n      iri\n      label\n    }\n  }\n}\n\nquery DatasetPage($first: Int, $after: String) {\n  datasets(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        urn\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query DatasetWithConcepts($urn: ID!) {\n  dataset(urn: $urn) {\n    urn\n    name\n    layer\n    columns {\n      name\n      type\n      tags\n    }\n    concepts {\n      iri\n      label\n    }\n  }\n}\n\nquery DatasetPage($first: Int, $after: String) {\n  datasets(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        urn\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WhoAmI {\n  whoami {\n    id\n    type\n    tags\n    expiresAt\n  }\n}"): (typeof documents)["query WhoAmI {\n  whoami {\n    id\n    type\n    tags\n    expiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OperationsOverview {\n  clusters {\n    name\n    engine\n    state\n  }\n  pods {\n    namespace\n    name\n    phase\n    restarts\n  }\n}"): (typeof documents)["query OperationsOverview {\n  clusters {\n    name\n    engine\n    state\n  }\n  pods {\n    namespace\n    name\n    phase\n    restarts\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;