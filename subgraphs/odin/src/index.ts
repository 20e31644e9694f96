export { createOdinSubgraph, type OdinDeps } from './server.js';
export { seedOdin, DEMO_CONCEPTS, DEMO_LINKS, BUSINESS, type SeedConcept } from './seed.js';
export { OntologyStore } from './store/ontology.js';
export { OntologyWriter, type ImportOptions, type ImportSummary } from './store/writer.js';
export { importOntology, parseForImport, type ImportRequest } from './import.js';
export { parseRdf, serializeRdf, RdfSyntaxError, type RdfFormat, type Triple } from './rdf/io.js';
