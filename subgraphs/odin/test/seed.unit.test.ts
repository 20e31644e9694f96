import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_DATASETS } from '@dataos/metis';
import { parseRdf } from '../src/rdf/io.js';
import { BUSINESS, DEMO_TAGGED_DATASETS, TAG_CONCEPTS, demoLinks, linksFromTags } from '../src/seed.js';

const SUB_CLASS_OF = 'http://www.w3.org/2000/01/rdf-schema#subClassOf';

describe('demo links follow the Metis demo catalog’s column tags', () => {
  it('derives the same links from the copied tag list as from the Metis catalog itself', () => {
    const sort = (links: { datasetUrn: string; column: string }[]) =>
      [...links].sort((a, b) => `${a.datasetUrn}/${a.column}`.localeCompare(`${b.datasetUrn}/${b.column}`));
    expect(sort(linksFromTags(DEMO_TAGGED_DATASETS))).toEqual(sort(linksFromTags(DEMO_DATASETS)));
  });

  it('links every PII tag of the catalog to a concept below PersonalData in the business ontology', async () => {
    const piiTags = new Set(
      DEMO_DATASETS.flatMap((d) => d.columns.flatMap(([, , tags]) => (tags ?? []).filter((t) => t.startsWith('PII.')))),
    );
    expect([...piiTags].filter((t) => !TAG_CONCEPTS[t])).toEqual([]);
    const doc = await parseRdf(readFileSync(new URL('../ontologies/business.ttl', import.meta.url), 'utf8'), 'TURTLE');
    const parents = new Map<string, string[]>();
    for (const t of doc.triples)
      if (t.p === SUB_CLASS_OF && t.o.kind === 'iri')
        parents.set(t.s.value, [...(parents.get(t.s.value) ?? []), t.o.value]);
    const above = (iri: string): string[] => (parents.get(iri) ?? []).flatMap((p) => [p, ...above(p)]);
    for (const concept of Object.values(TAG_CONCEPTS))
      expect(above(concept), concept).toContain(`${BUSINESS}#PersonalData`);
  });

  it('seeds personal data for a dozen datasets, one concept per column', () => {
    const links = demoLinks();
    const withPersonalColumns = new Set(
      links.filter((l) => l.column && Object.values(TAG_CONCEPTS).includes(l.concept)).map((l) => l.datasetUrn),
    );
    expect(withPersonalColumns.size).toBeGreaterThanOrEqual(12);
    const columns = links.filter((l) => l.column).map((l) => `${l.datasetUrn}/${l.column}`);
    expect(new Set(columns).size).toBe(columns.length);
  });
});
