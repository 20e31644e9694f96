import { readFile } from 'node:fs/promises';
import type { Neo4jStore } from '@dataos/stores';
import { importOntology } from './import.js';
import { RDFS_LABEL, SKOS_DEFINITION, localName } from './rdf/terms.js';
import { OntologyStore } from './store/ontology.js';
import { OntologyWriter } from './store/writer.js';

export const BUSINESS = 'https://dataos.local/ontology/business';
const NS = `${BUSINESS}#`;

/** A concept to seed by hand (tests): created unowned when new, linked to datasets and columns by URN. */
export interface SeedConcept {
  iri: string;
  label: string;
  definition?: string | null;
  datasets?: string[];
  columns?: { datasetUrn: string; name: string }[];
}

/** The demo's links from business concepts to the Metis demo catalog. */
export const DEMO_LINKS: { concept: string; datasetUrn: string; column?: string }[] = [
  { concept: `${NS}Customer`, datasetUrn: 'dataos://icebase:retail/customers' },
  { concept: `${NS}CustomerIdentifier`, datasetUrn: 'dataos://icebase:retail/customers', column: 'customer_id' },
  { concept: `${NS}PersonName`, datasetUrn: 'dataos://icebase:retail/customers', column: 'full_name' },
  { concept: `${NS}EmailAddress`, datasetUrn: 'dataos://icebase:retail/customers', column: 'email' },
  { concept: `${NS}PhoneNumber`, datasetUrn: 'dataos://icebase:retail/customers', column: 'phone' },
  { concept: `${NS}Region`, datasetUrn: 'dataos://icebase:retail/customers', column: 'region' },
  { concept: `${NS}Order`, datasetUrn: 'dataos://icebase:retail/orders' },
  { concept: `${NS}CustomerIdentifier`, datasetUrn: 'dataos://icebase:retail/orders', column: 'customer_id' },
  { concept: `${NS}MonetaryAmount`, datasetUrn: 'dataos://icebase:retail/orders', column: 'order_total' },
  { concept: `${NS}Product`, datasetUrn: 'dataos://icebase:retail/products' },
  { concept: `${NS}ProductCode`, datasetUrn: 'dataos://icebase:retail/products', column: 'sku' },
  { concept: `${NS}MonetaryAmount`, datasetUrn: 'dataos://icebase:retail/products', column: 'price' },
  { concept: `${NS}Invoice`, datasetUrn: 'dataos://lakehouse:finance/invoices' },
  { concept: `${NS}CustomerIdentifier`, datasetUrn: 'dataos://lakehouse:finance/invoices', column: 'customer_id' },
  { concept: `${NS}MonetaryAmount`, datasetUrn: 'dataos://lakehouse:finance/invoices', column: 'amount' },
];

/**
 * Column tags of the Metis demo catalog and the concept each means: the demo's links from
 * columns follow the catalog's own classification, so "datasets holding personal data" covers
 * every tagged column. Tags that name no concept (Tier.Gold, ...) link nothing.
 */
export const TAG_CONCEPTS: Record<string, string> = {
  'PII.Name': `${NS}PersonName`,
  'PII.Email': `${NS}EmailAddress`,
  'PII.PhoneNumber': `${NS}PhoneNumber`,
  'PII.DateOfBirth': `${NS}DateOfBirth`,
  'PII.Address': `${NS}PostalAddress`,
  'PII.IPAddress': `${NS}OnlineIdentifier`,
  'PII.BankAccount': `${NS}BankAccountNumber`,
};

/** A catalog dataset as far as links go: its URN and its columns' names and tags. */
export interface TaggedDataset {
  urn: string;
  columns: readonly (readonly [name: string, type: string, tags?: readonly string[], ...rest: unknown[]])[];
}

/** Column links derived from catalog tags; the first tag naming a concept wins (a column holds one concept). */
export function linksFromTags(
  datasets: readonly TaggedDataset[],
): { concept: string; datasetUrn: string; column: string }[] {
  return datasets.flatMap((d) =>
    d.columns.flatMap(([name, , tags]) => {
      const concept = (tags ?? []).map((t) => TAG_CONCEPTS[t]).find(Boolean);
      return concept ? [{ concept, datasetUrn: d.urn, column: name }] : [];
    }),
  );
}

/**
 * The PII-tagged columns of the Metis demo catalog (subgraphs/metis/src/demo/catalog.ts), copied
 * because Odin does not depend on Metis's code; a test checks that the copy matches the catalog.
 */
export const DEMO_TAGGED_DATASETS: TaggedDataset[] = [
  {
    urn: 'dataos://crmdb:public/customers',
    columns: [
      ['first_name', '', ['PII.Name']],
      ['last_name', '', ['PII.Name']],
      ['email', '', ['PII.Email']],
      ['phone', '', ['PII.PhoneNumber']],
      ['date_of_birth', '', ['PII.DateOfBirth']],
    ],
  },
  {
    urn: 'dataos://crmdb:public/addresses',
    columns: [
      ['street', '', ['PII.Address']],
      ['postal_code', '', ['PII.Address']],
    ],
  },
  { urn: 'dataos://kafka:retail/clickstream', columns: [['ip_address', '', ['PII.IPAddress']]] },
  {
    urn: 'dataos://icebase:retail/raw_customers',
    columns: [
      ['first_name', '', ['PII.Name']],
      ['last_name', '', ['PII.Name']],
      ['email', '', ['PII.Email']],
      ['phone', '', ['PII.PhoneNumber']],
      ['date_of_birth', '', ['PII.DateOfBirth']],
    ],
  },
  {
    urn: 'dataos://icebase:retail/customer_addresses',
    columns: [
      ['street', '', ['PII.Address']],
      ['postal_code', '', ['PII.Address']],
    ],
  },
  {
    urn: 'dataos://icebase:retail/customers',
    columns: [
      ['full_name', '', ['PII.Name']],
      ['email', '', ['PII.Email']],
      ['phone', '', ['PII.PhoneNumber']],
      ['date_of_birth', '', ['PII.DateOfBirth']],
    ],
  },
  {
    urn: 'dataos://icebase:retail/customer_360',
    columns: [
      ['full_name', '', ['PII.Name']],
      ['email', '', ['PII.Email']],
    ],
  },
  { urn: 'dataos://erpdb:public/payments_raw', columns: [['iban', '', ['PII.BankAccount']]] },
  { urn: 'dataos://kafka:marketing/email_events', columns: [['recipient_email', '', ['PII.Email']]] },
  { urn: 'dataos://lakehouse:marketing/email_engagement', columns: [['email', '', ['PII.Email']]] },
  {
    urn: 'dataos://lakehouse:marketing/audience_profiles',
    columns: [
      ['email', '', ['PII.Email']],
      ['phone', '', ['PII.PhoneNumber']],
    ],
  },
  { urn: 'dataos://erpdb:public/suppliers_raw', columns: [['contact_email', '', ['PII.Email']]] },
];

/** Hand-made links and those derived from the catalog's tags, without duplicates. */
export function demoLinks(): { concept: string; datasetUrn: string; column?: string }[] {
  const seen = new Set<string>();
  const key = (l: { datasetUrn: string; column?: string }) => `${l.datasetUrn}\u0000${l.column ?? ''}`;
  // Tag-derived column links first: a column holds one concept, and the catalog's tag says which.
  return [...linksFromTags(DEMO_TAGGED_DATASETS), ...DEMO_LINKS].filter((l) =>
    l.column ? !seen.has(key(l)) && seen.add(key(l)) : true,
  );
}

/** Kept for callers of the first seed: the business concepts linked to datasets. */
export const DEMO_CONCEPTS = DEMO_LINKS.filter((l) => !l.column).map((l) => ({
  iri: l.concept,
  label: localName(l.concept),
  datasets: [l.datasetUrn],
}));

const file = (path: string) => readFile(new URL(path, import.meta.url), 'utf8');

/**
 * Demo data (idempotent): the Schema.org subset of `vocabularies/` and the business ontology of
 * `ontologies/`, imported like any RDF document, and their links to the Metis demo catalog.
 * With `concepts`, seeds only those (tests): new ones are created without an ontology, concepts an
 * ontology defines keep their data, and the dataset and column links are added.
 */
export async function seedOdin(neo4j: Neo4jStore, concepts?: SeedConcept[]): Promise<number> {
  await new OntologyStore(neo4j).migrate();
  const writer = new OntologyWriter(neo4j);
  if (concepts) {
    await neo4j.driver.executeQuery(
      `UNWIND $concepts AS row
       MERGE (c:Concept {iri: row.iri})
       ON CREATE SET c.types = [], c.refs = '[]'
       WITH c, row WHERE c.ontology IS NULL
       SET c.label = row.label, c.definition = row.definition, c.lits = row.lits, c.searchText = toLower(row.label)`,
      {
        concepts: concepts.map((c) => ({
          iri: c.iri,
          label: c.label,
          definition: c.definition ?? null,
          lits: JSON.stringify([
            { p: RDFS_LABEL, v: c.label },
            ...(c.definition ? [{ p: SKOS_DEFINITION, v: c.definition }] : []),
          ]),
        })),
      },
      { database: neo4j.database },
    );
    for (const c of concepts) {
      for (const urn of c.datasets ?? []) await writer.link(c.iri, urn, null);
      for (const col of c.columns ?? []) await writer.link(c.iri, col.datasetUrn, col.name);
    }
    return concepts.length;
  }
  const vocabulary = await importOntology(
    writer,
    {
      content: await file('../vocabularies/schema-org-subset.ttl'),
      format: 'TURTLE',
      iri: 'https://schema.org/',
      name: 'Schema.org (subset)',
      namespace: 'https://schema.org/',
    },
    'seed',
  );
  const business = await importOntology(
    writer,
    { content: await file('../ontologies/business.ttl'), format: 'TURTLE' },
    'seed',
  );
  for (const link of demoLinks()) await writer.link(link.concept, link.datasetUrn, link.column ?? null);
  return vocabulary.concepts + business.concepts;
}
