import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jsonld from 'jsonld';
import type { Neo4jStore } from '@dataos/stores';
import { toNTriples, type Triple } from '../src/rdf/io.js';

/** Canonical N-Quads lines (RDFC-1.0): equal for isomorphic graphs, blank node labels included. */
export async function canonical(triples: readonly Triple[]): Promise<string[]> {
  const nquads = triples.map((t) => `${toNTriples(t)}\n`).join('');
  const options = { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads' };
  // The types only know documents; jsonld canonizes N-Quads text too (inputFormat).
  const canonize = jsonld.canonize as unknown as (input: string, opts: object) => Promise<string>;
  const out = await canonize(nquads, options);
  return out.split('\n').filter(Boolean).sort();
}

/** Removes a test's Odin nodes (by IRI prefix) and its dataset links (by URN prefix); never anything else. */
export async function removeTestData(neo4j: Neo4jStore, iriPrefix: string, urnPrefix?: string): Promise<void> {
  await neo4j.driver.executeQuery(
    `CALL () {
       MATCH (n:Concept) WHERE n.iri STARTS WITH $p RETURN n
       UNION MATCH (n:Property) WHERE n.iri STARTS WITH $p RETURN n
       UNION MATCH (n:Instance) WHERE n.iri STARTS WITH $p RETURN n
       UNION MATCH (n:Ontology) WHERE n.iri STARTS WITH $p RETURN n
     }
     DETACH DELETE n`,
    { p: iriPrefix },
    { database: neo4j.database },
  );
  if (urnPrefix) {
    await neo4j.driver.executeQuery(
      `CALL () {
         MATCH (n:LinkedDataset) WHERE n.urn STARTS WITH $u RETURN n
         UNION MATCH (n:LinkedColumn) WHERE n.datasetUrn STARTS WITH $u RETURN n
       }
       DETACH DELETE n`,
      { u: urnPrefix },
      { database: neo4j.database },
    );
  }
}

/** Odin nodes and link nodes under a prefix, to prove that nothing was written. */
export async function countTestNodes(neo4j: Neo4jStore, iriPrefix: string): Promise<number> {
  const { records } = await neo4j.driver.executeQuery(
    `CALL () {
       MATCH (n:Concept) WHERE n.iri STARTS WITH $p RETURN n
       UNION MATCH (n:Property) WHERE n.iri STARTS WITH $p RETURN n
       UNION MATCH (n:Instance) WHERE n.iri STARTS WITH $p RETURN n
       UNION MATCH (n:Ontology) WHERE n.iri STARTS WITH $p RETURN n
     }
     RETURN count(n) AS n`,
    { p: iriPrefix },
    { database: neo4j.database, routing: 'READ' },
  );
  return records[0]!.get('n') as number;
}

/** A rich ontology exercising the RDFS, OWL and SKOS terms Odin maps, and triples it keeps verbatim. */
export function richTurtle(base: string): string {
  return `@prefix : <${base}#> .
@prefix ext: <${base}-ext/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<${base}> a owl:Ontology ;
  rdfs:label "Round trip ontology"@en ;
  owl:versionInfo "2.1" ;
  dcterms:license <https://creativecommons.org/licenses/by/4.0/> .

:Thing a rdfs:Class ; rdfs:label "Thing" .
:Party a owl:Class ; rdfs:subClassOf :Thing ; rdfs:label "Party"@en, "Partei"@de ;
  rdfs:comment "Someone we deal with."@en .
:Customer a owl:Class , skos:Concept ;
  rdfs:subClassOf :Party ;
  skos:prefLabel "Customer"@en, "Kunde"@de, "Client"@fr ;
  skos:altLabel "Buyer"@en ;
  skos:definition "A party that buys."@en, "Jemand, der kauft."@de ;
  skos:related :Order ;
  :servedBy :Shop ;
  skos:exactMatch ext:Customer ;
  rdfs:isDefinedBy <${base}> .
:VipCustomer rdfs:subClassOf :Customer ; rdfs:label "VIP customer" .
:Order a skos:Concept ; skos:prefLabel "Order"@en ; skos:broader :Transaction .
:Transaction a skos:Concept ; skos:prefLabel "Transaction"@en ; skos:narrower :Refund .
:Refund skos:prefLabel "Refund"@en .
:Shop a owl:Class ; rdfs:label "Shop" .
:Restricted a owl:Class ;
  rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :placedBy ; owl:someValuesFrom :Customer ] ;
  owl:unionOf ( :Order :Refund ) .

:placedBy a owl:ObjectProperty ; rdfs:label "placed by"@en ; rdfs:domain :Order ; rdfs:range :Customer .
:total a owl:DatatypeProperty , owl:FunctionalProperty ; rdfs:domain :Order ; rdfs:range xsd:decimal .
:note a owl:AnnotationProperty .

:acme a :Customer , owl:NamedIndividual ; rdfs:label "ACME Corp." ; :total "12.50"^^xsd:decimal ;
  :since "2020-01-01"^^xsd:date ; :rank 3 ; :flag true ; :code "X1"^^ext:code ;
  :placedBy :bob ; :homepage <https://acme.example/> .
:bob rdfs:label "Bob" ; :note """multi
line "quoted" note""" .
ext:Customer rdfs:label "External customer" .
`;
}

/** A pass-through HTTP proxy that counts requests: how many calls Odin makes to Heimdall or Metis. */
export interface CountingProxy {
  url: string;
  calls: number;
  /** Where requests go; may change after start (a service started later). */
  target: string;
  close(): Promise<void>;
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const proxy = { calls: 0, target } as CountingProxy;
  const server = http.createServer(async (req, res) => {
    proxy.calls++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const answer = await fetch(proxy.target, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => ['content-type', 'authorization', 'x-request-id'].includes(k)),
        ) as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}
