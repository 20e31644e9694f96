import DataLoader from 'dataloader';
import type { OntologyStore } from './store/ontology.js';
import { columnKey } from './store/ontology.js';
import type { ColumnRef, ConceptRecord, OntologyRecord, PropertyRecord, RelationRecord } from './store/records.js';

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
  };
}
