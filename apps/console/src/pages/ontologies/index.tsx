import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../app/NotFoundPage.js';
import { OntologyList } from './OntologyList.js';
import { OntologyPage } from './OntologyPage.js';
import { ConceptPage } from './ConceptPage.js';
import { Loading } from '../../ui/Loading.js';
import './ontologies.css';

// The import page carries the CodeMirror editor: browsing ontologies does not download it.
const ImportPage = lazy(async () => ({ default: (await import('./ImportPage.js')).ImportPage }));

/** Odin's knowledge graph: the ontologies, each one's concept tree, concept pages, RDF in and out. */
export default function OntologiesPages() {
  return (
    <Routes>
      <Route index element={<OntologyList />} />
      <Route path="o/:iri" element={<OntologyPage />} />
      <Route path="concepts/:iri" element={<ConceptPage />} />
      <Route
        path="import"
        element={
          <Suspense fallback={<Loading label="Opening the import page" />}>
            <ImportPage />
          </Suspense>
        }
      />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
