import DataLoader from 'dataloader';
import type { LinkScope, OntologyStore } from './store/ontology.js';
import { columnKey } from './store/ontology.js';
import type {
  ColumnRef,
  ConceptAtDistanceRecord,
  ConceptRecord,
  HoldingRecord,
  InstanceRecord,
  OntologyRecord,
  PropertyRecord,
  RelationRecord,
} from './store/records.js';

export type Neighbourhood = 'superClasses' | 'subClasses' | 'broader' | 'narrower' | 'related';

/** Per-request loaders: N concepts in a list cost one Cypher round trip per field, not N. */
export interface OdinLoaders {
  concept: DataLoader<string, ConceptRecord | null>;
  ontology: DataLoader<string, OntologyRecord | null>;
  /** The ontology owning a property or instance. */
  ontologyOf: DataLoader<string, string | null>;
  neighbours: DataLoader<{ iri: string; relation: Neighbourhood }, ConceptRecord[], string>;
  relations: DataLoader<string, RelationRecord[]>;
  propertiesWithDomain: DataLoader<string, PropertyRecord[]>;
  datasetConcepts: DataLoader<{ urn: string; includeColumns: boolean }, ConceptRecord[], string>;
  columnConcept: DataLoader<ColumnRef, ConceptRecord | null, string>;
  hierarchy: DataLoader<HierarchyKey, ConceptAtDistanceRecord[], string>;
  instances: DataLoader<{ iri: string; includeSubconcepts: boolean }, InstanceRecord[], string>;
  /** Datasets holding a concept, unfiltered (callers filter through Metis). */
  holdings: DataLoader<HoldingKey, HoldingRecord[], string>;
  /** Columns holding a concept, unfiltered. */
  columnsHolding: DataLoader<{ iri: string; includeSubconcepts: boolean }, ColumnRef[], string>;
}

export interface HierarchyKey {
  iri: string;
  direction: 'up' | 'down';
  maxDepth: number;
  /** Normalised (sorted) relationship types. */
  relations: string;
}

export interface HoldingKey {
  iri: string;
  includeSubconcepts: boolean;
  via: LinkScope;
}

/**
 * A loader whose keys differ in options besides the IRI: one store call per distinct option set
 * of a tick (usually one), each with every IRI of that set.
 */
function grouped<K extends { iri: string }, V>(
  optionsOf: (k: K) => string,
  load: (iris: string[], sample: K) => Promise<Map<string, V>>,
  empty: () => V,
) {
  const key = (k: K) => `${optionsOf(k)}\u0000${k.iri}`;
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, K[]>();
      for (const k of keys) groups.set(optionsOf(k), [...(groups.get(optionsOf(k)) ?? []), k]);
      const results = new Map<string, V>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const found = await load([...new Set(group.map((k) => k.iri))], group[0]!);
          for (const k of group) results.set(key(k), found.get(k.iri) ?? empty());
        }),
      );
      return keys.map((k) => results.get(key(k)) ?? empty());
    },
    { cacheKeyFn: key },
  );
}

export function createLoaders(store: OntologyStore): OdinLoaders {
  return {
    concept: new DataLoader(async (iris) => {
      const byIri = new Map((await store.conceptsByIri(iris)).map((c) => [c.iri, c]));
      return iris.map((i) => byIri.get(i) ?? null);
    }),
    ontology: new DataLoader(async (iris) => {
      const byIri = new Map((await store.ontologies(iris)).map((o) => [o.iri, o]));
      return iris.map((i) => byIri.get(i) ?? null);
    }),
    ontologyOf: new DataLoader(async (iris) => {
      const byIri = new Map((await store.ontologyIrisOf(iris)).map((r) => [r.iri, r.ontology]));
      return iris.map((i) => byIri.get(i) ?? null);
    }),
    neighbours: new DataLoader(
      async (keys) => {
        const results = new Map<string, ConceptRecord[]>();
        const relations = [...new Set(keys.map((k) => k.relation))];
        await Promise.all(
          relations.map(async (relation) => {
            const iris = keys.filter((k) => k.relation === relation).map((k) => k.iri);
            const found = await store.neighbours(iris, relation);
            for (const iri of iris) results.set(`${relation}:${iri}`, found.get(iri) ?? []);
          }),
        );
        return keys.map((k) => results.get(`${k.relation}:${k.iri}`) ?? []);
      },
      { cacheKeyFn: (k) => `${k.relation}:${k.iri}` },
    ),
    relations: new DataLoader(async (iris) => {
      const found = await store.relationsOf(iris);
      return iris.map((i) => found.get(i) ?? []);
    }),
    propertiesWithDomain: new DataLoader(async (iris) => {
      const found = await store.propertiesWithDomain(iris);
      return iris.map((i) => found.get(i) ?? []);
    }),
    datasetConcepts: new DataLoader(
      async (keys) => {
        const results = new Map<string, ConceptRecord[]>();
        for (const includeColumns of [false, true]) {
          const urns = keys.filter((k) => k.includeColumns === includeColumns).map((k) => k.urn);
          if (!urns.length) continue;
          const found = await store.conceptsOfDatasets(urns, includeColumns);
          for (const urn of urns) results.set(`${includeColumns}:${urn}`, found.get(urn) ?? []);
        }
        return keys.map((k) => results.get(`${k.includeColumns}:${k.urn}`) ?? []);
      },
      { cacheKeyFn: (k) => `${k.includeColumns}:${k.urn}` },
    ),
    columnConcept: new DataLoader(
      async (columns) => {
        const found = await store.conceptOfColumns(columns);
        return columns.map((c) => found.get(columnKey(c)) ?? null);
      },
      { cacheKeyFn: columnKey },
    ),
    hierarchy: grouped<HierarchyKey, ConceptAtDistanceRecord[]>(
      (k) => `${k.direction}:${k.maxDepth}:${k.relations}`,
      (iris, k) => store.hierarchyOf(iris, k.direction, k.maxDepth, k.relations.split('|')),
      () => [],
    ),
    instances: grouped<{ iri: string; includeSubconcepts: boolean }, InstanceRecord[]>(
      (k) => String(k.includeSubconcepts),
      (iris, k) => store.instancesOfTypes(iris, k.includeSubconcepts),
      () => [],
    ),
    holdings: grouped<HoldingKey, HoldingRecord[]>(
      (k) => `${k.includeSubconcepts}:${k.via}`,
      (iris, k) =>
        store.datasetsHoldingEach(iris, {
          includeSubconcepts: k.includeSubconcepts,
          via: k.via,
          limit: HOLDING_SCAN_LIMIT,
        }),
      () => [],
    ),
    columnsHolding: grouped<{ iri: string; includeSubconcepts: boolean }, ColumnRef[]>(
      (k) => String(k.includeSubconcepts),
      (iris, k) => store.columnsHoldingEach(iris, k.includeSubconcepts),
      () => [],
    ),
  };
}

/** Rows read before filtering through Metis, so that `first` readable ones can still be returned. */
export const HOLDING_SCAN_LIMIT = 5000;
