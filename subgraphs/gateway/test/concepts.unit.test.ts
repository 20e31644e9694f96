import { describe, expect, it } from 'vitest';
import { columnOf } from '../src/catalog.js';
import { withConcepts, ConceptsUnavailable, type ConceptAtDistance, type ConceptSource } from '../src/concepts.js';
import { BUSINESS, DEFAULT_CONCEPT_POLICIES, DEFAULT_DATA_POLICIES } from '../src/policies/defaults.js';
import { explainMask } from '../src/policies/explain.js';
import { planScan, type CatalogDataset } from '../src/policies/resolve.js';
import { policyDoc } from '../src/policies/store.js';
import type { Subject } from '../src/policies/subject.js';
import { validateDataPolicy } from '../src/policies/validate.js';
import { SUBJECTS } from './support.js';

/** The defaults, and the closure the demo business ontology gives (subClassOf, nearest first). */
const POLICIES = [...DEFAULT_DATA_POLICIES, ...DEFAULT_CONCEPT_POLICIES].map((p) => policyDoc(p));
const PARENTS: Record<string, string[]> = {
  EmailAddress: ['ContactData', 'PersonalData'],
  PhoneNumber: ['ContactData', 'PersonalData'],
  PostalAddress: ['ContactData', 'PersonalData'],
  PersonName: ['IdentifyingData', 'PersonalData'],
  DateOfBirth: ['IdentifyingData', 'PersonalData'],
  CustomerIdentifier: ['PersonalData'],
  OnlineIdentifier: ['PersonalData'],
  BankAccountNumber: ['PersonalData', 'FinancialData'],
  Nickname: ['ContactData', 'PersonalData'],
  ProductCode: [],
};
const closure = (name: string): ConceptAtDistance[] => [
  { iri: BUSINESS + name, label: name, distance: 0 },
  ...PARENTS[name]!.map((p, i) => ({
    iri: BUSINESS + p,
    label: p,
    distance: name === 'BankAccountNumber' ? 1 : i + 1,
  })),
];

/** A concept source answering from a fixed map of links, counting its calls. */
function fakeOdin(links: Record<string, string>, down = false) {
  const calls: number[] = [];
  const source: ConceptSource = {
    async columnConcepts(columns) {
      calls.push(columns.length);
      if (down) throw new ConceptsUnavailable('connect ECONNREFUSED');
      return columns.map((c) => {
        const linked = links[`${c.datasetUrn}#${c.name}`];
        return linked ? closure(linked) : [];
      });
    },
  };
  return { source, calls };
}

const URN = 'dataos://icebase:retail/people';
const dataset = (...names: string[]): CatalogDataset => ({
  urn: URN,
  columns: names.map((name) => ({ name, type: name === 'born' ? 'DATE' : 'VARCHAR', tags: [] })),
});
async function plan(links: Record<string, string>, subject: Subject = SUBJECTS.alice, down = false) {
  const cols = ['mail', 'phone', 'addr', 'name', 'born', 'cid', 'iban', 'nick', 'sku', 'note'];
  const odin = fakeOdin(Object.fromEntries(Object.entries(links).map(([k, v]) => [`${URN}#${k}`, v])), down);
  const { datasets } = await withConcepts([dataset(...cols)], odin.source, {});
  const scan = planScan(datasets[0]!, subject, POLICIES);
  return { scan, calls: odin.calls, col: (n: string) => scan.columns.find((c) => c.name === n)! };
}

describe('masks from concepts (defaults, nearest concept)', () => {
  const links = {
    mail: 'EmailAddress',
    phone: 'PhoneNumber',
    addr: 'PostalAddress',
    name: 'PersonName',
    born: 'DateOfBirth',
    cid: 'CustomerIdentifier',
    iban: 'BankAccountNumber',
    nick: 'Nickname',
    sku: 'ProductCode',
  };

  it('gives each column the mask of its nearest concept under Personal data, in one call for all columns', async () => {
    const { col, calls } = await plan(links);
    expect(calls).toEqual([10]);
    const got = Object.fromEntries(
      Object.keys(links)
        .concat('note')
        .map((n) => [n, col(n).mask ? `${col(n).mask!.policy}:${col(n).mask!.spec.operator}` : null]),
    );
    expect(got).toEqual({
      mail: 'concept-email:hash',
      phone: 'concept-phone:hash',
      addr: 'concept-postal-address:redact',
      name: 'concept-identifying-data:hash',
      born: 'concept-date-of-birth:bucket_date',
      cid: 'concept-identifier:hash',
      iban: 'concept-bank-account:rand_pattern',
      nick: 'concept-personal-data:redact', // no nearer rule than Personal data
      sku: null, // not personal data
      note: null, // not linked, Odin answered: proved clean
    });
    expect(col('born').mask!.reason).toMatchObject({
      selectedBy: 'concept',
      distance: 0,
      subjectTags: ['users:id:alice'],
    });
    expect(col('nick').mask!.reason).toMatchObject({
      selectedBy: 'concept',
      matched: `${BUSINESS}PersonalData`,
      distance: 2,
    });
  });

  it('lets a PII reader see them in clear (the exemption at 90)', async () => {
    const { col } = await plan(links, SUBJECTS.carol);
    for (const n of ['mail', 'cid', 'nick', 'iban']) {
      expect(col(n).mask).toMatchObject({ policy: 'pii-reader-concepts', spec: { operator: 'pass_through' } });
      expect(col(n).mask!.reason.subjectTags).toEqual(['roles:id:pii-reader']);
    }
  });

  it('Odin down: every column is masked for everybody, exemptions do not apply, explain says so', async () => {
    for (const subject of [SUBJECTS.alice, SUBJECTS.carol] as Subject[]) {
      const { col, scan } = await plan(links, subject, true);
      for (const c of scan.columns) {
        expect(c.conceptsKnown, c.name).toBe(false);
        expect(c.mask?.spec.operator, c.name).toBe('redact');
        expect(c.mask?.reason.selectedBy).toBe('concepts_unknown');
      }
      expect(explainMask(col('note'))).toContain('Odin could not say');
    }
  });

  it('concept masks win over the PII tag defaults (98 before 99) and keep the same result', async () => {
    const odin = fakeOdin({ [`${URN}#email`]: 'EmailAddress' });
    const { datasets } = await withConcepts(
      [{ urn: URN, columns: [{ name: 'email', type: 'VARCHAR', tags: ['PII.Email'] }] }],
      odin.source,
      {},
    );
    const c = planScan(datasets[0]!, SUBJECTS.alice, POLICIES).columns[0]!;
    expect(c.mask).toMatchObject({ policy: 'concept-email', priority: 98, spec: { operator: 'hash' } });
  });
});

describe('concepts propagated through column lineage', () => {
  const metisColumn = (origins: { urn: string | null; name: string | null; tags?: string[] }[], truncated = false) =>
    columnOf({
      name: 'email',
      type: 'VARCHAR',
      tags: [],
      classificationOrigins: origins.map((o) => ({
        column: { datasetUrn: o.urn, name: o.name, hidden: o.urn === null },
        tags: o.tags ?? [],
        path: [
          { datasetUrn: o.urn, name: o.name, hidden: o.urn === null },
          { datasetUrn: 'dataos://icebase:retail/customer_360', name: 'email', hidden: false },
        ],
      })),
      classificationOriginsTruncated: truncated,
    });
  const c360 = 'dataos://icebase:retail/customer_360';
  const customers = 'dataos://icebase:retail/customers';

  it("a derived column carries its source's tags and concepts, with source and path, and is masked", async () => {
    const column = metisColumn([{ urn: customers, name: 'email', tags: ['PII.Email'] }]);
    expect(column.tags).toEqual(['PII.Email']);
    const odin = fakeOdin({ [`${customers}#email`]: 'EmailAddress' });
    const { datasets } = await withConcepts([{ urn: c360, columns: [column] }], odin.source, {});
    expect(odin.calls).toEqual([2]); // the column and its source, in the same call
    const planned = planScan(datasets[0]!, SUBJECTS.alice, POLICIES).columns[0]!;
    expect(planned.mask).toMatchObject({ policy: 'concept-email', reason: { selectedBy: 'concept' } });
    expect(planned.mask!.reason.classification).toMatchObject({
      propagated: true,
      source: `${customers}#email`,
      path: [`${customers}#email`, `${c360}#email`],
    });
    expect(explainMask(planned)).toContain(`propagated from ${customers}#email`);
  });

  it('no lineage origin (an anonymizing edge stops it): the column is clear', async () => {
    const odin = fakeOdin({ [`${customers}#email`]: 'EmailAddress' });
    const { datasets } = await withConcepts([{ urn: c360, columns: [metisColumn([])] }], odin.source, {});
    expect(planScan(datasets[0]!, SUBJECTS.alice, POLICIES).columns[0]!.mask).toBeNull();
  });

  it('a hidden or truncated origin leaves the concepts unknown: masked, never shown', async () => {
    for (const column of [metisColumn([{ urn: null, name: null }]), metisColumn([], true)]) {
      const odin = fakeOdin({});
      const { datasets } = await withConcepts([{ urn: c360, columns: [column] }], odin.source, {});
      const planned = planScan(datasets[0]!, SUBJECTS.carol, POLICIES).columns[0]!;
      expect(planned.conceptsKnown).toBe(false);
      expect(planned.mask).toMatchObject({ spec: { operator: 'redact' }, reason: { selectedBy: 'concepts_unknown' } });
    }
  });
});

describe('selector.column.concepts validation', () => {
  const input = (concepts: unknown[]) => ({
    name: 'c',
    type: 'mask' as const,
    priority: 50,
    selector: { user: { match: 'any' as const, tags: ['users:id:*'] }, column: { concepts: concepts as string[] } },
    mask: { operator: 'redact' as const },
  });
  it('accepts absolute IRIs (deduplicated) and refuses anything else at the field', () => {
    expect(validateDataPolicy(input([`${BUSINESS}A`, `${BUSINESS}A`])).fields.selector.column).toEqual({
      tags: [],
      names: [],
      concepts: [`${BUSINESS}A`],
    });
    for (const bad of ['EmailAddress', 'https://x.org/a b', '', 'x'.repeat(3000)]) {
      expect(() => validateDataPolicy(input([bad]))).toThrow(/concept IRI/);
    }
    expect(() => validateDataPolicy(input(Array.from({ length: 51 }, (_, i) => `${BUSINESS}C${i}`)))).toThrow(
      /At most 50/,
    );
  });
});
