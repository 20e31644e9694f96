import type { DataPolicyInput } from './model.js';

const everybody = { match: 'any' as const, tags: ['users:id:*'] };

/**
 * Default masks on PII column tags (priority 99, so that any policy with a lower number beats
 * them) and the pii-reader exemption at 90. Created on a fresh store; editable afterwards.
 */
export const DEFAULT_DATA_POLICIES: DataPolicyInput[] = [
  {
    name: 'pii-email',
    description: 'E-mail addresses are hashed (SHA-256 with the deployment secret).',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.Email'] } },
    mask: { operator: 'hash', algorithm: 'sha256' },
  },
  {
    name: 'pii-name',
    description: 'Names are hashed.',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.Name'] } },
    mask: { operator: 'hash', algorithm: 'sha256' },
  },
  {
    name: 'pii-phone',
    description: 'Phone numbers are hashed.',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.PhoneNumber'] } },
    mask: { operator: 'hash', algorithm: 'sha256' },
  },
  {
    name: 'pii-date-of-birth',
    description: 'Dates of birth keep the year only.',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.DateOfBirth'] } },
    mask: { operator: 'bucket_date', precision: 'year' },
  },
  {
    name: 'pii-age',
    description: 'Ages are bucketed.',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.Age'] } },
    mask: { operator: 'bucket_number', buckets: [0, 18, 25, 35, 45, 55, 65] },
  },
  {
    name: 'pii-id-numbers',
    description: 'SSNs and licence numbers become random digits of the same length.',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.SSN', 'PII.License'] } },
    mask: { operator: 'rand_pattern' },
  },
  {
    name: 'pii-gender',
    description: 'Gender is redacted.',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.Gender'] } },
    mask: { operator: 'redact', replacement: '[REDACTED]' },
  },
  {
    name: 'pii-income',
    description: 'Income is bucketed by 10,000.',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.Income'] } },
    mask: { operator: 'bucket_number', bucketSize: 10000 },
  },
  {
    name: 'pii-location',
    description: 'Locations are redacted.',
    type: 'mask',
    priority: 99,
    selector: { user: everybody, column: { tags: ['PII.Location'] } },
    mask: { operator: 'redact', replacement: '[REDACTED]' },
  },
  {
    name: 'pii-reader',
    description: 'PII readers see PII in clear.',
    type: 'mask',
    priority: 90,
    selector: { user: { match: 'any', tags: ['roles:id:pii-reader'] }, column: { tags: ['PII.*'] } },
    mask: { operator: 'pass_through' },
  },
];

/** Demo row filters: everyone sees the customers of their own region; admins and Metis's profiler see every row. */
export const DEMO_DATA_POLICIES: DataPolicyInput[] = [
  {
    name: 'customers-by-region',
    description: "Customers are visible in the reader's own region (token claim `region`).",
    type: 'filter',
    priority: 50,
    datasets: ['dataos://icebase:retail/customers'],
    selector: { user: everybody },
    filters: [{ column: 'region', operator: 'equals', valueFrom: 'claims.region' }],
  },
  {
    name: 'admins-all-rows',
    description: 'Administrators see every row (an exemption: no filters).',
    type: 'filter',
    priority: 10,
    selector: { user: { match: 'any', tags: ['roles:id:admin'] } },
    filters: [],
  },
  {
    name: 'profiler-all-rows',
    description:
      "Metis's service principal profiles every row (counts, and min/max of what it reads in clear; masks still apply). Metis withholds min/max from readers whose rows are filtered.",
    type: 'filter',
    priority: 10,
    selector: { user: { match: 'any', tags: ['users:id:dataos-svc-metis'] } },
    filters: [],
  },
];

/** The demo business ontology's namespace (Odin, `ontologies/business.ttl`). */
export const BUSINESS = 'https://dataos.local/ontology/business#';
const concept = (name: string) => `${BUSINESS}${name}`;
const conceptMask = (
  name: string,
  concepts: string[],
  mask: DataPolicyInput['mask'],
  description: string,
): DataPolicyInput => ({
  name,
  description,
  type: 'mask',
  priority: 98,
  selector: { user: everybody, column: { concepts: concepts.map(concept) } },
  mask,
});

/**
 * Masks by Odin concept (through the subconcept closure), at 98: before the `PII.*` tag
 * defaults (99), after the pii-reader exemptions (90). A column gets the mask of its nearest
 * concept (at equal numbers the nearer concept wins): an e-mail address is hashed, a date of birth
 * keeps its year, anything else under Personal data without a nearer rule is redacted.
 */
export const DEFAULT_CONCEPT_POLICIES: DataPolicyInput[] = [
  conceptMask(
    'concept-personal-data',
    ['PersonalData'],
    { operator: 'redact', replacement: '[REDACTED]' },
    'Personal data without a nearer rule is redacted.',
  ),
  conceptMask(
    'concept-identifying-data',
    ['IdentifyingData', 'PersonName'],
    { operator: 'hash', algorithm: 'sha256' },
    'Identifying data and person names are hashed.',
  ),
  conceptMask(
    'concept-identifier',
    ['CustomerIdentifier', 'OnlineIdentifier'],
    { operator: 'hash', algorithm: 'sha256' },
    'Identifiers of a person are hashed (joinable across datasets).',
  ),
  conceptMask(
    'concept-email',
    ['EmailAddress'],
    { operator: 'hash', algorithm: 'sha256' },
    'E-mail addresses are hashed.',
  ),
  conceptMask('concept-phone', ['PhoneNumber'], { operator: 'hash', algorithm: 'sha256' }, 'Phone numbers are hashed.'),
  conceptMask(
    'concept-date-of-birth',
    ['DateOfBirth'],
    { operator: 'bucket_date', precision: 'year' },
    'Dates of birth keep the year only.',
  ),
  conceptMask(
    'concept-postal-address',
    ['PostalAddress'],
    { operator: 'redact', replacement: '[REDACTED]' },
    'Postal addresses are redacted.',
  ),
  conceptMask(
    'concept-bank-account',
    ['BankAccountNumber'],
    { operator: 'rand_pattern' },
    'Bank account numbers become random digits of the same length.',
  ),
  {
    name: 'pii-reader-concepts',
    description: 'PII readers see personal data in clear (columns holding a concept under Personal data).',
    type: 'mask',
    priority: 90,
    selector: {
      user: { match: 'any', tags: ['roles:id:pii-reader'] },
      column: { concepts: [concept('PersonalData')] },
    },
    mask: { operator: 'pass_through' },
  },
];
