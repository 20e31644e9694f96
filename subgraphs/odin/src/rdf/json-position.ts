/**
 * Where a JSON text stops being valid, as 1-based line and column: `JSON.parse` does not always
 * say (Node 20 omits the position for some errors), so a small scanner finds it.
 */
export interface JsonSyntaxIssue {
  message: string;
  line: number;
  column: number;
}

class Fail extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax error of `text`, or null when it is valid JSON. */
export function findJsonSyntaxIssue(text: string): JsonSyntaxIssue | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const describe = () => (i >= text.length ? 'end of input' : `"${text[i]}"`);
  const expect = (what: string): never => {
    throw new Fail(`Expected ${what} but found ${describe()}`, i);
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else expect('a JSON value');
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Fail('Unterminated string', i);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fail('Invalid \\u escape', i);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Fail('Invalid escape in string', i);
        continue;
      }
      if (c < ' ') throw new Fail('Control character in string', i);
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || !m[0] || m[0] === '-') expect('a JSON value');
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) throw new Fail('Nesting too deep', i);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') expect('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') expect('":"');
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        expect('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        expect('"," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    expect('a JSON value');
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value(0);
    ws();
    if (i < text.length) throw new Fail(`Unexpected ${describe()} after the JSON value`, i);
    return null;
  } catch (error) {
    if (!(error instanceof Fail)) throw error;
    return { message: error.message, ...lineAndColumn(text, error.offset) };
  }
}

/** Where things are in a valid JSON text: every object member, string value and object, with offsets. */
export interface JsonLocations {
  members: { key: string; offset: number }[];
  strings: { key: string | null; value: string; offset: number }[];
  objects: { canonical: string; offset: number }[];
}

/** Key order does not count: JSON-LD processors hand back objects with their keys reordered. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A position-tracking parse of a text `JSON.parse` accepted: one pass, offsets of what it meets. */
export function locateJson(text: string): JsonLocations {
  const out: JsonLocations = { members: [], strings: [], objects: [] };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (key: string | null): unknown => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      while (text[i] !== '}') {
        ws();
        const at = i;
        const k = string();
        out.members.push({ key: k, offset: at });
        ws();
        i++; // ':'
        obj[k] = value(k);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
      out.objects.push({ canonical: canonicalJson(obj), offset: start });
      return obj;
    }
    if (c === '[') {
      i++;
      const list: unknown[] = [];
      ws();
      while (text[i] !== ']') {
        list.push(value(key));
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
      return list;
    }
    if (c === '"') {
      const s = string();
      out.strings.push({ key, value: s, offset: start });
      return s;
    }
    const m = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400))!;
    i += m[0].length;
    return JSON.parse(m[0]) as unknown;
  };
  value(null);
  return out;
}
