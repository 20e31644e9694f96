/** A date-time from the API, in the reader's locale; an em dash when absent or unreadable. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

/** The local name of an IRI (after `#` or the last `/`), for predicates shown compactly. */
export function localName(iri: string): string {
  const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  const tail = cut >= 0 ? iri.slice(cut + 1) : iri;
  return tail === '' ? iri : tail;
}
