/** A concept's labels, alternative labels and definitions grouped by language tag (untagged last). */

interface LangString {
  value: string;
  language?: string | null;
}

export interface LanguageLabels {
  language: string | null;
  labels: string[];
  altLabels: string[];
  definitions: string[];
}

export function labelsByLanguage(concept: {
  labels: readonly LangString[];
  altLabels: readonly LangString[];
  definitions: readonly LangString[];
}): LanguageLabels[] {
  const byLang = new Map<string | null, LanguageLabels>();
  const add = (kind: 'labels' | 'altLabels' | 'definitions', items: readonly LangString[]) => {
    for (const item of items) {
      const language = item.language ? item.language.toLowerCase() : null;
      let entry = byLang.get(language);
      if (!entry) byLang.set(language, (entry = { language, labels: [], altLabels: [], definitions: [] }));
      if (!entry[kind].includes(item.value)) entry[kind].push(item.value);
    }
  };
  add('labels', concept.labels);
  add('altLabels', concept.altLabels);
  add('definitions', concept.definitions);
  return [...byLang.values()].sort((a, b) =>
    a.language === null ? 1 : b.language === null ? -1 : a.language.localeCompare(b.language),
  );
}

/** Predicates the labels table already shows: the annotations list leaves them out. */
const LABEL_PREDICATES = new Set([
  'http://www.w3.org/2000/01/rdf-schema#label',
  'http://www.w3.org/2000/01/rdf-schema#comment',
  'http://www.w3.org/2004/02/skos/core#prefLabel',
  'http://www.w3.org/2004/02/skos/core#altLabel',
  'http://www.w3.org/2004/02/skos/core#definition',
]);

export function otherAnnotations<T extends { predicate: string }>(annotations: readonly T[]): T[] {
  return annotations.filter((a) => !LABEL_PREDICATES.has(a.predicate));
}
