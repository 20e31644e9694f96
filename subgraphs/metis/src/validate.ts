import { badUserInput } from '@dataos/errors';
import { assertName } from '@dataos/names';
import { pageSize as kitPageSize } from '@dataos/subgraph-kit';
import type {
  AddLineageInput,
  GlossaryTermInput,
  IngestInput,
  OwnerInput as OwnerGqlInput,
  RecordRunInput,
  ResourceInput,
} from './generated/resolvers.js';
import type {
  DatasetIngest,
  GlossaryTermUpsert,
  LineageInput,
  OwnerInput,
  Refs,
  ResourceUpsert,
  RunInput,
  SourceIngest,
} from './store/inputs.js';
import { assertDatasetDepot, assertResourceUrn, assertUrn, parseDatasetUrn } from './urn.js';

export const LIMITS = {
  datasets: 5000,
  columns: 2000,
  tags: 100,
  owners: 50,
  terms: 100,
  lineageColumns: 2000,
  profiles: 2000,
  text: 65_536,
  name: 256,
};

export const LAYERS = ['raw', 'clean', 'curated', 'serving'];

const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;
const OWNER = /^(users|teams):id:[A-Za-z0-9._@-]{1,128}$/;
const DOMAIN = /^[a-z][a-z0-9_-]{0,63}$/;
const WORKSPACE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const RESOURCE_NAME = /^[a-z0-9][a-z0-9_.-]{0,127}$/i;
const FORMAT = /^[a-z0-9_-]{1,32}$/i;
const CONNECTION_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Connection details are catalogued, secrets never: such keys belong in a secret resource. */
const SECRET_KEY = /pass(word|wd)?|secret|token|credential|private|api[_.-]?key|access[_.-]?key|auth/i;
/**
 * Values that carry a credential, whatever their key: a password in a URL's user info
 * (`postgres://u:pass@h`), a secret parameter in a DSN, JDBC or query string (`password=`,
 * `AccountKey=`, `sig=`), or a well-known token format. The error names the key, never the value.
 */
const SECRET_VALUES: [RegExp, string][] = [
  [/[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i, 'a password in the URL'],
  [
    /(?:^|[\s;&?,])(?:password|passwd|pwd|pass|secret|client[_-]?secret|token|access[_-]?token|api[_-]?key|access[_-]?key|secret[_-]?key|account[_-]?key|shared[_-]?access[_-]?(?:key|signature)|sig|private[_-]?key)\s*[=:]/i,
    'a secret parameter',
  ],
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}/,
    'a key or token',
  ],
];

function assertNoSecret(key: string, value: string, field: string): void {
  for (const [pattern, what] of SECRET_VALUES) {
    if (pattern.test(value)) {
      throw fail(
        field,
        `Connection property "${key}" looks like it holds a credential (${what}): keep secrets in a secret resource, never in the catalog.`,
      );
    }
  }
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const fail = (field: string, message: string) => badUserInput(message, { field });

export function text(value: string, field: string, max = LIMITS.name): string {
  if (value.trim() === '') throw fail(field, `${field} must not be empty.`);
  if (value.length > max) throw fail(field, `${field} is longer than ${max} characters.`);
  if (max <= LIMITS.name && CONTROL.test(value)) throw fail(field, `${field} contains control characters.`);
  return value;
}

/** Long free text (descriptions): null clears, undefined leaves alone. */
function optionalText<T extends string | null | undefined>(value: T, field: string, max = LIMITS.text): T {
  if (typeof value === 'string' && value.length > max) throw fail(field, `${field} is longer than ${max} characters.`);
  return value;
}

function list<T>(values: readonly T[], field: string, max: number): readonly T[] {
  if (values.length > max) throw fail(field, `${field} has ${values.length} items; at most ${max} are accepted.`);
  return values;
}

export function tag(value: string, field: string): string {
  if (!TAG.test(value))
    throw fail(field, `"${value}" is not a tag: letters, digits, "_", ".", ":", "/" and "-", at most 128.`);
  return value;
}

export function tags(values: readonly string[], field: string): string[] {
  return [...new Set(list(values, field, LIMITS.tags).map((t, i) => tag(t, `${field}[${i}]`)))];
}

export function ownerId(value: string, field: string): string {
  if (!OWNER.test(value)) throw fail(field, `"${value}" is not an owner id: users:id:<id> or teams:id:<id>.`);
  return value;
}

export function owners(values: readonly OwnerGqlInput[], field: string): OwnerInput[] {
  const seen = new Set<string>();
  return list(values, field, LIMITS.owners).map((o, i) => {
    const id = ownerId(o.id, `${field}[${i}].id`);
    if (seen.has(id)) throw fail(`${field}[${i}].id`, `Owner "${id}" is listed twice.`);
    seen.add(id);
    return {
      id,
      kind: id.startsWith('teams:') ? 'TEAM' : 'PERSON',
      name: o.name == null ? null : text(o.name, `${field}[${i}].name`),
      email: o.email == null ? null : text(o.email, `${field}[${i}].email`),
    };
  });
}

export function domainName(value: string, field: string): string {
  if (!DOMAIN.test(value))
    throw fail(field, `"${value}" is not a domain name: lower-case letters, digits, "_" and "-".`);
  return value;
}

/**
 * Column and dataset names, by the rule every subgraph shares (`@dataos/names`: no outer spaces,
 * no control characters), so that Odin accepts whatever Metis stored.
 */
export const columnName = (value: string, field: string) => assertName(value, field, LIMITS.name);

export const termName = (value: string, field: string) => assertName(value, field, 128);

function termNames(values: readonly string[], field: string): string[] {
  return [...new Set(list(values, field, LIMITS.terms).map((t, i) => termName(t, `${field}[${i}]`)))];
}

function layer(value: string | null | undefined, field: string) {
  if (value == null) return value;
  if (!LAYERS.includes(value)) throw fail(field, `"${value}" is not a layer: ${LAYERS.join(', ')}.`);
  return value;
}

function count(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isSafeInteger(value) || value < 0) throw fail(field, `${field} must be a non-negative integer.`);
  return value;
}

/**
 * What an ingest asks to write, as Heimdall is asked about it: the source, each dataset's URN, and
 * the tags and domain it is decided with. Checked before authorization (it is what authorization
 * is about); everything else of the input only after it.
 */
export interface IngestTargets {
  source: string;
  /** Type, description or connection given: writing them needs `write` on the depot. */
  sourceDetails: boolean;
  datasets: { urn: string; tags?: string[]; domain?: string | null }[];
}

export function ingestTargets(input: IngestInput): IngestTargets {
  const f = 'input';
  const source = assertDatasetDepot(input.source.name, `${f}.source.name`);
  const urns = new Set<string>();
  const datasets = list(input.datasets, `${f}.datasets`, LIMITS.datasets).map((d, i) => {
    const field = `${f}.datasets[${i}]`;
    const urn = assertUrn(d.urn, `${field}.urn`);
    if (parseDatasetUrn(urn)!.depot !== source) {
      throw fail(
        `${field}.urn`,
        `"${urn}" is not in source "${source}": expected dataos://${source}:<collection>/<dataset>.`,
      );
    }
    if (urns.has(urn)) throw fail(`${field}.urn`, `"${urn}" is listed twice.`);
    urns.add(urn);
    const target: IngestTargets['datasets'][number] = { urn };
    if (d.tags != null) target.tags = tags(d.tags, `${field}.tags`);
    if (d.domain !== undefined) target.domain = d.domain === null ? null : domainName(d.domain, `${field}.domain`);
    return target;
  });
  const sourceDetails =
    input.source.type != null || input.source.description !== undefined || input.source.connection != null;
  return { source, sourceDetails, datasets };
}

/** The ingest input, normalized; references to check in the write transaction. */
export function ingestInput(
  input: IngestInput,
  targets = ingestTargets(input),
): { source: SourceIngest; datasets: DatasetIngest[]; refs: Refs; sourceDetails: boolean } {
  const f = 'input';
  const source: SourceIngest = { name: targets.source };
  if (input.source.type != null) {
    if (!FORMAT.test(input.source.type)) throw fail(`${f}.source.type`, `"${input.source.type}" is not a source type.`);
    source.type = input.source.type;
  }
  if (input.source.description !== undefined)
    source.description = optionalText(input.source.description, `${f}.source.description`);
  if (input.source.connection != null) {
    const keys = new Set<string>();
    source.connection = list(input.source.connection, `${f}.source.connection`, 100).map((p, i) => {
      const field = `${f}.source.connection[${i}]`;
      if (!CONNECTION_KEY.test(p.key)) throw fail(`${field}.key`, `"${p.key}" is not a connection property name.`);
      if (SECRET_KEY.test(p.key)) {
        throw fail(
          `${field}.key`,
          `"${p.key}" looks like a secret: keep secrets in a secret resource, never in the catalog.`,
        );
      }
      if (keys.has(p.key)) throw fail(`${field}.key`, `"${p.key}" is listed twice.`);
      keys.add(p.key);
      const value = text(p.value, `${field}.value`, 1024);
      assertNoSecret(p.key, value, `${field}.value`);
      return { key: p.key, value };
    });
  }
  const refs: Required<Pick<Refs, 'domains' | 'terms'>> = { domains: [], terms: [] };
  const datasets = input.datasets.map((d, i): DatasetIngest => {
    const field = `${f}.datasets[${i}]`;
    const target = targets.datasets[i]!;
    // The keys in this order: the fingerprint of an unchanged input must stay what it was.
    const out: DatasetIngest = {
      urn: target.urn,
      name: d.name == null ? parseDatasetUrn(target.urn)!.name : columnName(d.name, `${field}.name`),
      kind: d.kind ?? 'TABLE',
      columns: [],
    };
    if (d.description !== undefined) out.description = optionalText(d.description, `${field}.description`);
    if (d.format !== undefined) {
      if (d.format !== null && !FORMAT.test(d.format)) throw fail(`${field}.format`, `"${d.format}" is not a format.`);
      out.format = d.format;
    }
    if (d.layer !== undefined) out.layer = layer(d.layer, `${field}.layer`);
    if (target.tags !== undefined) out.tags = target.tags;
    if (target.domain !== undefined) {
      out.domain = target.domain;
      if (out.domain) refs.domains.push({ name: out.domain, field: `${field}.domain` });
    }
    if (d.owners != null) out.owners = owners(d.owners, `${field}.owners`);
    if (d.glossaryTerms != null) {
      out.glossaryTerms = termNames(d.glossaryTerms, `${field}.glossaryTerms`);
      out.glossaryTerms.forEach((name, j) => refs.terms.push({ name, field: `${field}.glossaryTerms[${j}]` }));
    }
    if (d.freshnessSloSeconds !== undefined) {
      if (d.freshnessSloSeconds !== null && d.freshnessSloSeconds <= 0)
        throw fail(`${field}.freshnessSloSeconds`, 'freshnessSloSeconds must be positive.');
      out.freshnessSloSeconds = d.freshnessSloSeconds;
    }
    const names = new Set<string>();
    out.columns = list(d.columns, `${field}.columns`, LIMITS.columns).map((c, j) => {
      const cf = `${field}.columns[${j}]`;
      const name = columnName(c.name, `${cf}.name`);
      if (names.has(name)) throw fail(`${cf}.name`, `Column "${name}" is listed twice.`);
      names.add(name);
      const col: DatasetIngest['columns'][number] = {
        name,
        type: text(c.type, `${cf}.type`),
        nullable: c.nullable ?? true,
      };
      if (c.description !== undefined) col.description = optionalText(c.description, `${cf}.description`);
      if (c.tags != null) col.tags = tags(c.tags, `${cf}.tags`);
      if (c.glossaryTerms != null) {
        col.glossaryTerms = termNames(c.glossaryTerms, `${cf}.glossaryTerms`);
        col.glossaryTerms.forEach((n, k) => refs.terms.push({ name: n, field: `${cf}.glossaryTerms[${k}]` }));
      }
      return col;
    });
    return out;
  });
  return { source, datasets, refs, sourceDetails: targets.sourceDetails };
}

export function lineageInput(input: AddLineageInput): LineageInput {
  const upstream = assertUrn(input.upstream, 'input.upstream');
  const downstream = assertUrn(input.downstream, 'input.downstream');
  if (upstream === downstream) throw fail('input.downstream', 'A dataset cannot feed itself.');
  const via = input.via == null ? null : assertResourceUrn(input.via, 'input.via').urn;
  const job = input.job == null ? null : text(input.job, 'input.job', 128);
  const seen = new Set<string>();
  const columns = list(input.columns ?? [], 'input.columns', LIMITS.lineageColumns).map((c, i) => {
    const key = `${c.upstream}\u0000${c.downstream}`;
    if (seen.has(key)) throw fail(`input.columns[${i}]`, 'This column edge is listed twice.');
    seen.add(key);
    return {
      upstream: columnName(c.upstream, `input.columns[${i}].upstream`),
      downstream: columnName(c.downstream, `input.columns[${i}].downstream`),
      transformation:
        c.transformation == null ? null : text(c.transformation, `input.columns[${i}].transformation`, 4096),
    };
  });
  return { upstream, downstream, via, job, columns };
}

export function runInput(input: RecordRunInput): RunInput {
  const datasetUrn = assertUrn(input.datasetUrn, 'input.datasetUrn');
  const startedAt = input.startedAt;
  const finishedAt = input.finishedAt ?? null;
  if (finishedAt && finishedAt < startedAt) throw fail('input.finishedAt', 'finishedAt is before startedAt.');
  if (input.status !== 'RUNNING' && !finishedAt)
    throw fail('input.finishedAt', `A ${input.status} run needs finishedAt.`);
  const names = new Set<string>();
  return {
    id: input.id == null ? null : text(input.id, 'input.id', 128),
    datasetUrn,
    resourceUrn: input.resourceUrn == null ? null : assertResourceUrn(input.resourceUrn, 'input.resourceUrn').urn,
    job: input.job == null ? null : text(input.job, 'input.job', 128),
    status: input.status,
    startedAt,
    finishedAt,
    rowCount: count(input.rowCount, 'input.rowCount'),
    sizeBytes: count(input.sizeBytes, 'input.sizeBytes'),
    columnProfiles: list(input.columnProfiles ?? [], 'input.columnProfiles', LIMITS.profiles).map((p, i) => {
      const field = `input.columnProfiles[${i}]`;
      const name = columnName(p.name, `${field}.name`);
      if (names.has(name)) throw fail(`${field}.name`, `Column "${name}" is profiled twice.`);
      names.add(name);
      return {
        name,
        nullCount: count(p.nullCount, `${field}.nullCount`),
        distinctCount: count(p.distinctCount, `${field}.distinctCount`),
        min: p.min == null ? null : text(p.min, `${field}.min`, 1024),
        max: p.max == null ? null : text(p.max, `${field}.max`, 1024),
        mean: p.mean ?? null,
      };
    }),
  };
}

const INSTANCE_LEVEL = new Set(['DEPOT', 'POLICY', 'COMPUTE']);

/** The resource an upsert names (kind, workspace, name): what Heimdall is asked about, checked before it. */
export function resourceTarget(input: ResourceInput): Pick<ResourceUpsert, 'kind' | 'workspace' | 'name'> {
  const workspace = input.workspace ?? (INSTANCE_LEVEL.has(input.kind) ? 'system' : 'public');
  if (!WORKSPACE.test(workspace)) throw fail('input.workspace', `"${workspace}" is not a workspace name.`);
  if (!RESOURCE_NAME.test(input.name))
    throw fail('input.name', `"${input.name}" is not a resource name: letters, digits, "_", "." and "-".`);
  return { kind: input.kind, workspace, name: input.name };
}

export function resourceInput(input: ResourceInput, target = resourceTarget(input)): ResourceUpsert {
  const out: ResourceUpsert = { ...target };
  if (input.version !== undefined)
    out.version = input.version === null ? null : text(input.version, 'input.version', 64);
  if (input.state !== undefined) out.state = input.state === null ? null : text(input.state, 'input.state', 64);
  if (input.description !== undefined) out.description = optionalText(input.description, 'input.description');
  if (input.owner !== undefined) out.owner = input.owner === null ? null : owners([input.owner], 'input.owner')[0]!;
  if (input.tags != null) out.tags = tags(input.tags, 'input.tags');
  return out;
}

export function glossaryTermInput(input: GlossaryTermInput): { term: GlossaryTermUpsert; refs: Refs } {
  const name = termName(input.name, 'input.name');
  const related = termNames(input.related ?? [], 'input.related');
  const self = related.indexOf(name);
  if (self >= 0) throw fail(`input.related[${self}]`, 'A term cannot be related to itself.');
  const domain = input.domain == null ? null : domainName(input.domain, 'input.domain');
  return {
    term: {
      name,
      definition: text(input.definition, 'input.definition', LIMITS.text),
      synonyms: [
        ...new Set(
          list(input.synonyms ?? [], 'input.synonyms', 50).map((s, i) => text(s, `input.synonyms[${i}]`, 128)),
        ),
      ],
      domain,
      related,
    },
    refs: {
      terms: related.map((n, i) => ({ name: n, field: `input.related[${i}]` })),
      domains: domain ? [{ name: domain, field: 'input.domain' }] : [],
    },
  };
}

/** First page sizes are bounded: a connection returns at most this many edges. */
export const MAX_PAGE = 100;

export const pageSize = (first: number | null | undefined, fallback = 20): number =>
  kitPageSize(first, { max: MAX_PAGE, fallback });
