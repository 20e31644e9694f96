import type { Neo4jStore } from '@dataos/stores';

const NS = 'https://dataos.local/ontology/business#';

/** Business concepts and their links to the Metis demo datasets (by URN). */
export const DEMO_CONCEPTS = [
  { iri: `${NS}Customer`, label: 'Customer', definition: 'A person or organisation that buys from us.', datasets: ['dataos://icebase:retail/customers'] },
  { iri: `${NS}Order`, label: 'Order', definition: 'A request by a customer to buy products.', datasets: ['dataos://icebase:retail/orders'] },
  { iri: `${NS}Product`, label: 'Product', definition: 'Something we sell.', datasets: ['dataos://icebase:retail/products'] },
  { iri: `${NS}PersonalData`, label: 'Personal data', definition: 'Information relating to an identified or identifiable person.', datasets: ['dataos://icebase:retail/customers'] },
  { iri: `${NS}Invoice`, label: 'Invoice', definition: 'A bill for an order.', datasets: ['dataos://lakehouse:finance/invoices'] },
];

export async function seedOdin(neo4j: Neo4jStore, concepts = DEMO_CONCEPTS): Promise<number> {
  await neo4j.driver.executeQuery(
    `UNWIND $concepts AS row
     MERGE (c:Concept {iri: row.iri}) SET c.label = row.label, c.definition = row.definition
     WITH c, row UNWIND row.datasets AS urn
     MERGE (d:LinkedDataset {urn: urn})
     MERGE (c)-[:DESCRIBES]->(d)`,
    { concepts },
    { database: neo4j.database },
  );
  return concepts.length;
}
