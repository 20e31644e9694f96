/**
 * DuckDB's JSON holds numbers a JS number cannot round-trip: 64-bit integers (constants,
 * UINT64_MAX positions) and doubles such as `1000.0`, which JSON.stringify would write as the
 * integer `1000` (DuckDB then refuses the tree). Before JSON.parse, every number outside strings
 * that has 16 digits or more, a fraction or an exponent becomes `{"$num":"<its text>"}`; after
 * JSON.stringify the markers are written back as the original text. Inside a JSON string such a
 * marker could only appear with escaped quotes, so it never matches there.
 */
export function protectNumbers(json: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < json.length) {
    const c = json[i]!;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += json[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < json.length && /[0-9.eE+-]/.test(json[j]!)) j++;
      const token = json.slice(i, j);
      out += /^-?\d{16,}$/.test(token) || /[.eE]/.test(token) ? `{"$num":"${token}"}` : token;
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

export const restoreNumbers = (json: string): string => json.replace(/\{"\$num":"(-?[0-9.eE+-]+)"\}/g, '$1');

/** The text of a number that may be protected. */
export const numberText = (value: unknown): string =>
  typeof value === 'object' && value !== null && typeof (value as { $num?: unknown }).$num === 'string'
    ? (value as { $num: string }).$num
    : String(value);
