/**
 * Where an RDF import failed. Odin refuses a document that does not parse with BAD_USER_INPUT and
 * `extensions: { field: "input.content", line, column }` (both 1-based); the editor wants an offset.
 */

export interface ErrorLike {
  message: string;
  extensions?: Readonly<Record<string, unknown>> | null;
}

export interface DocumentPosition {
  line: number;
  column: number;
  /** 0-based offset into the text, clamped to it. */
  offset: number;
}

/** The offset of a 1-based line and column, clamped to the text (a column past the end is the end of its line). */
export function offsetOf(text: string, line: number, column: number): number {
  let start = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf('\n', start);
    if (next === -1) return text.length;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const lineEnd = end === -1 ? text.length : end;
  return Math.min(start + Math.max(column - 1, 0), lineEnd);
}

const positiveInt = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : null;

/** The position of the first error that names the document's content, or null when none says where. */
export function importErrorPosition(errors: readonly ErrorLike[], text: string): DocumentPosition | null {
  for (const error of errors) {
    const line = positiveInt(error.extensions?.line);
    if (line === null) continue;
    const column = positiveInt(error.extensions?.column) ?? 1;
    return { line, column, offset: offsetOf(text, line, column) };
  }
  return null;
}
