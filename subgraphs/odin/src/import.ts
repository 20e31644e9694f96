import { badUserInput } from '@dataos/errors';
import { RdfSyntaxError, parseRdf, type ParsedDocument, type RdfFormat } from './rdf/io.js';
import { ontologyIriOf } from './rdf/model.js';
import type { ImportOptions, ImportSummary, OntologyWriter } from './store/writer.js';

export interface ImportRequest {
  content: string;
  format: RdfFormat;
  iri?: string | null;
  name?: string | null;
  namespace?: string | null;
  version?: string | null;
  baseIri?: string | null;
}

/** Parses a document; malformed input becomes BAD_USER_INPUT with `line` and `column`. */
export async function parseForImport(request: ImportRequest): Promise<ParsedDocument> {
  const base = request.baseIri ?? request.iri ?? undefined;
  try {
    return await parseRdf(request.content, request.format, base ? { baseIri: base } : {});
  } catch (error) {
    if (error instanceof RdfSyntaxError) {
      const where = error.line !== null ? ` (line ${error.line}, column ${error.column})` : '';
      throw badUserInput(`Malformed ${request.format} document${where}: ${error.message}`, {
        field: 'input.content',
        line: error.line,
        column: error.column,
      });
    }
    throw error;
  }
}

/** Parse, plan and write one document as one ontology: all or nothing. */
export async function importOntology(
  writer: OntologyWriter,
  request: ImportRequest,
  importedBy: string | null,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const doc = await parseForImport(request);
  const iri = ontologyIriOf(doc, request.iri);
  return writer.importDocument(
    doc,
    { iri, name: request.name ?? null, namespace: request.namespace ?? null, version: request.version ?? null },
    { importedBy, format: request.format },
    options,
  );
}
