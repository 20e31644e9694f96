export { createOdinSubgraph, type OdinDeps } from './server.js';
export { MetisCatalog } from './metis.js';
export {
  seedOdin,
  demoLinks,
  linksFromTags,
  DEMO_CONCEPTS,
  DEMO_LINKS,
  DEMO_TAGGED_DATASETS,
  TAG_CONCEPTS,
  BUSINESS,
  type SeedConcept,
  type TaggedDataset,
} from './seed.js';
export { OntologyStore } from './store/ontology.js';
export { OntologyWriter, type ImportOptions, type ImportSummary } from './store/writer.js';
export { importOntology, parseForImport, type ImportRequest } from './import.js';
export { parseRdf, serializeRdf, RdfSyntaxError, type RdfFormat, type Triple } from './rdf/io.js';
