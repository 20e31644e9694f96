/**
 * The documents of issue 12 that stopped the router when it expanded before measuring, as an
 * anonymous attacker sends them to the synthetic supergraph of the router bench. Each must be
 * refused with a 4xx before anything expands it (`router/test/hostile-documents.http.test.ts`
 * asserts the codes; the attack bench only reports what it gets).
 */
export interface HostileShape {
  name: string;
  /** The JSON body, built once: the attacker sends the same bytes again and again. */
  body: string;
  /** What the router answers today, for the report; anything but a 4xx is a failure. */
  expected: string;
}

/** `fragment F<i> on Query { ...F<i-1> ...F<i-1> }`: 2^levels selections from a few hundred bytes. */
export function fragmentChain(levels: number): string {
  let doc = 'fragment F0 on Query { __typename }\n';
  for (let i = 1; i <= levels; i++) doc += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
  return `${doc}query { ...F${levels} }`;
}

const body = (query: string, variables?: unknown) =>
  JSON.stringify(variables === undefined ? { query } : { query, variables });
const list = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i)).join(' ');

export const HOSTILE_SHAPES: HostileShape[] = [
  { name: 'fragment chain 20', body: body(fragmentChain(20)), expected: '400 MAX_SELECTIONS_EXCEEDED' },
  { name: 'fragment chain 30', body: body(fragmentChain(30)), expected: '400 MAX_SELECTIONS_EXCEEDED' },
  { name: 'fragment chain 64', body: body(fragmentChain(64)), expected: '400 MAX_SELECTIONS_EXCEEDED' },
  {
    name: 'fragment cycle',
    body: body('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
    expected: '400 GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: '10,000 aliases',
    body: body(`{ ${list(10_000, (i) => `a${i}: __typename`)} }`),
    expected: '400 GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'deep nesting (introspection)',
    body: body(`{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } } } }`),
    expected: '400 MAX_INTROSPECTION_DEPTH_EXCEEDED',
  },
  {
    name: 'deep nesting (500 fields)',
    body: body(`{ ${'product(upc: "upc-1") { '.repeat(500)}upc${' }'.repeat(500)} }`),
    expected: '400 GRAPHQL_VALIDATION_FAILED',
  },
  {
    // Undeclared variables are ignored, so a huge list only costs when it is declared, used and coerced.
    name: 'huge variable list (declared)',
    body: body('query ($v: Boolean!) { __typename @include(if: $v) }', {
      v: Array.from({ length: 100_000 }, (_, i) => i),
    }),
    expected: '400 BAD_USER_INPUT',
  },
  {
    name: 'variables over the body limit',
    body: body('{ __typename }', { list: Array.from({ length: 300_000 }, (_, i) => i) }),
    expected: '413 PAYLOAD_TOO_LARGE',
  },
  {
    name: '1,000 directives',
    body: body(`{ __typename ${list(1000, (i) => `@d${i}`)} }`),
    expected: '400 GRAPHQL_VALIDATION_FAILED',
  },
];

/** The shapes the attacker sends: all, or those whose names contain one of BENCH_ATTACK_SHAPES (comma-separated). */
export function attackShapes(env: NodeJS.ProcessEnv = process.env): HostileShape[] {
  const wanted = (env.BENCH_ATTACK_SHAPES ?? '')
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  if (!wanted.length) return HOSTILE_SHAPES;
  const shapes = HOSTILE_SHAPES.filter((s) => wanted.some((w) => s.name.toLowerCase().includes(w)));
  if (!shapes.length)
    throw new Error(
      `BENCH_ATTACK_SHAPES="${env.BENCH_ATTACK_SHAPES}" names no shape: ${HOSTILE_SHAPES.map((s) => s.name).join(', ')}`,
    );
  return shapes;
}
