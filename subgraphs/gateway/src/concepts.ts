import { serviceCallerFromEnv, type ServiceCaller } from '@dataos/service-identity';
import { setting } from '@dataos/settings';
import type { Caller } from './catalog.js';
import type { DataPolicyDoc } from './policies/model.js';
import type { CatalogDataset, Classification } from './policies/resolve.js';

/** Where the Gateway finds Odin (checked with its other settings at start). */
export const ODIN_CLIENT_SETTINGS = {
  ODIN_URL: setting.url({ default: 'http://localhost:4003/graphql' }),
  ODIN_TIMEOUT_MS: setting.durationMs({ min: 1, default: 2000 }),
};

/** Odin's bound on one `columnConcepts` call. */
export const MAX_COLUMNS_PER_CALL = 1000;

export interface ColumnRef {
  datasetUrn: string;
  name: string;
}

export interface ConceptAtDistance {
  iri: string;
  label: string | null;
  /** 0: the concept linked to the column; 1: its parent; ... */
  distance: number;
}

/** Odin could not answer: the caller gets concept masks on every column (fail closed). */
export class ConceptsUnavailable extends Error {}

/** A column's concepts with their closure, per column; null: Odin says nothing about it (unknown). */
export interface ConceptSource {
  columnConcepts(columns: readonly ColumnRef[], caller: Caller): Promise<(ConceptAtDistance[] | null)[]>;
}

interface OdinAnswer {
  data?: {
    columnConcepts: {
      visible: boolean;
      concepts: { distance: number; concept: { iri: string; label: string | null } }[];
    }[];
  } | null;
  errors?: { message: string }[];
}

const QUERY = /* GraphQL */ `
  query GatewayColumnConcepts($columns: [ColumnRefInput!]!) {
    columnConcepts(columns: $columns) {
      visible
      concepts {
        distance
        concept {
          iri
          label
        }
      }
    }
  }
`;

/**
 * Odin's `columnConcepts`, with the caller's token (and the Gateway's own service token when it
 * has a client: SERVICE_CLIENT_ID): one HTTP call per query (chunked past Odin's bound).
 */
export class OdinConceptSource implements ConceptSource {
  private readonly service: ServiceCaller | null;

  constructor(
    readonly url: string,
    private readonly timeoutMs: number,
    service?: ServiceCaller | null,
  ) {
    this.service = service === undefined ? serviceCallerFromEnv() : service;
  }

  async columnConcepts(columns: readonly ColumnRef[], caller: Caller): Promise<(ConceptAtDistance[] | null)[]> {
    const chunks: Promise<(ConceptAtDistance[] | null)[]>[] = [];
    for (let i = 0; i < columns.length; i += MAX_COLUMNS_PER_CALL)
      chunks.push(this.chunk(columns.slice(i, i + MAX_COLUMNS_PER_CALL), caller));
    return (await Promise.all(chunks)).flat();
  }

  private async chunk(columns: readonly ColumnRef[], caller: Caller): Promise<(ConceptAtDistance[] | null)[]> {
    if (!columns.length) return [];
    let answer: OdinAnswer;
    try {
      const service = this.service ? await this.service.headers('odin') : undefined;
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          ...service,
          'content-type': 'application/json',
          ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
          ...(caller.requestId ? { 'x-request-id': caller.requestId } : {}),
        },
        body: JSON.stringify({
          query: QUERY,
          variables: { columns: columns.map(({ datasetUrn, name }) => ({ datasetUrn, name })) },
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      answer = (await res.json()) as OdinAnswer;
    } catch (error) {
      throw new ConceptsUnavailable(`Odin could not be reached: ${(error as Error).message}`);
    }
    const rows = answer.data?.columnConcepts;
    if (answer.errors?.length || !rows || rows.length !== columns.length)
      throw new ConceptsUnavailable(`Odin failed to answer: ${answer.errors?.[0]?.message ?? 'no data'}`);
    return rows.map((r) =>
      r.visible ? r.concepts.map((c) => ({ iri: c.concept.iri, label: c.concept.label, distance: c.distance })) : null,
    );
  }
}

/** Does any policy that may apply select columns by concept? Otherwise Odin is not asked at all. */
export const needsConcepts = (policies: readonly DataPolicyDoc[]): boolean =>
  policies.some((p) => p.enabled && p.type === 'mask' && (p.selector.column?.concepts?.length ?? 0) > 0);

const refKey = (urn: string, name: string) => `${urn.toLowerCase()}\u0000${name.toLowerCase()}`;
export const columnId = (urn: string, name: string) => `${urn}#${name}`;

/**
 * Adds each column's concepts, own and propagated through its lineage sources (`upstream`, from
 * Metis), learned in ONE call to Odin for the whole query. When Odin cannot answer, or says
 * nothing about a column, the column is marked `conceptsKnown: false`: every concept mask may
 * then apply to it (resolve.ts), exemptions may not.
 */
export async function withConcepts(
  datasets: readonly CatalogDataset[],
  source: ConceptSource,
  caller: Caller,
): Promise<{ datasets: CatalogDataset[]; known: boolean }> {
  const refs = new Map<string, ColumnRef>();
  const add = (datasetUrn: string, name: string) => refs.set(refKey(datasetUrn, name), { datasetUrn, name });
  for (const d of datasets)
    for (const c of d.columns) {
      add(d.urn, c.name);
      for (const u of c.upstream ?? []) add(u.datasetUrn, u.name);
    }
  const list = [...refs.values()];
  let answers: (ConceptAtDistance[] | null)[] | null;
  try {
    answers = await source.columnConcepts(list, caller);
  } catch (error) {
    if (!(error instanceof ConceptsUnavailable)) throw error;
    answers = null;
  }
  const byKey = new Map(list.map((r, i) => [refKey(r.datasetUrn, r.name), answers ? answers[i]! : null]));
  const out = datasets.map((d) => ({
    ...d,
    columns: d.columns.map((c) => {
      const own = byKey.get(refKey(d.urn, c.name)) ?? null;
      let known = own !== null && c.conceptsKnown !== false;
      const concepts: Classification[] = (own ?? []).map((x) => ({
        kind: 'concept',
        value: x.iri,
        label: x.label,
        distance: x.distance,
        propagated: false,
        source: null,
        path: [],
      }));
      for (const u of c.upstream ?? []) {
        const theirs = byKey.get(refKey(u.datasetUrn, u.name)) ?? null;
        if (theirs === null) known = false;
        for (const x of theirs ?? [])
          concepts.push({
            kind: 'concept',
            value: x.iri,
            label: x.label,
            distance: x.distance,
            propagated: true,
            source: columnId(u.datasetUrn, u.name),
            path: u.path,
          });
      }
      return {
        ...c,
        classifications: [...(c.classifications ?? []), ...concepts],
        conceptsKnown: known,
      };
    }),
  }));
  return { datasets: out, known: answers !== null };
}
