import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../app/NotFoundPage.js';
import { OntologyList } from './OntologyList.js';
import { OntologyPage } from './OntologyPage.js';
import { ConceptPage } from './ConceptPage.js';
import { ImportPage } from './ImportPage.js';
import './ontologies.css';

/** Odin's knowledge graph: the ontologies, each one's concept tree, concept pages, RDF in and out. */
export default function OntologiesPages() {
  return (
    <Routes>
      <Route index element={<OntologyList />} />
      <Route path="o/:iri" element={<OntologyPage />} />
      <Route path="concepts/:iri" element={<ConceptPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
