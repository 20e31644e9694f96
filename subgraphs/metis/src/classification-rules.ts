/**
 * Suggested classifications for an untagged column, from its name and, where Metis has them, a
 * few of its values (a profile's min and max). Plain rules, no model: each says why it matched,
 * and a steward accepts or rejects what it proposes; nothing is applied by itself.
 */
export type SuggestionKind = 'TAG' | 'CONCEPT';
export type SuggestionBasis = 'NAME' | 'VALUES';

export interface RuleSuggestion {
  kind: SuggestionKind;
  /** A tag (`PII.Email`) or a concept's English label as the business ontology names it (`Email address`). */
  value: string;
  basis: SuggestionBasis;
  reason: string;
}

interface Rule {
  what: string;
  tag?: string;
  concept: string;
  /** Matched against the name split into lower-case words (`customerEmail` -> `customer email`). */
  name?: RegExp;
  /** Every sample must match (and there must be one). */
  value?: (v: string) => boolean;
  /** Values alone are not enough (a date is not a birth date): the name must match too. */
  valuesNeedName?: boolean;
  /** Holds text: a number or a flag named `email_opt_in` is not an address. */
  text?: boolean;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[A-Za-z]{2,24}$/;
const PHONE = /^\+?[\d\s().-]{7,24}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;

const digits = (v: string) => v.replace(/\D/g, '').length;
const NOT_TEXT =
  /^(bool|boolean|tinyint|smallint|int|integer|bigint|long|decimal|numeric|float|double|real|date|timestamp)\b/i;

const RULES: Rule[] = [
  {
    what: 'an e-mail address',
    text: true,
    tag: 'PII.Email',
    concept: 'Email address',
    name: /\b(e ?mail|mail address|email address)\b/,
    value: (v) => EMAIL.test(v),
  },
  {
    what: 'a phone number',
    text: true,
    tag: 'PII.PhoneNumber',
    concept: 'Phone number',
    name: /\b(phone|telephone|tel|mobile|msisdn|fax)\b/,
    value: (v) => PHONE.test(v) && digits(v) >= 7 && !ISO_DATE.test(v),
  },
  {
    what: 'a date of birth',
    tag: 'PII.DateOfBirth',
    concept: 'Date of birth',
    name: /\b(dob|birth ?date|date of birth|birthday|born( on)?)\b/,
    value: (v) => ISO_DATE.test(v),
    valuesNeedName: true,
  },
  {
    what: "a person's name",
    text: true,
    tag: 'PII.Name',
    concept: 'Person name',
    name: /\b(first ?name|last ?name|full ?name|given ?name|family ?name|surname|person name)\b/,
  },
  {
    what: 'a postal address',
    text: true,
    tag: 'PII.Address',
    concept: 'Postal address',
    name: /\b(street|address line|postal address|home address|zip|postcode|postal code)\b/,
  },
  {
    what: 'an IP address',
    text: true,
    tag: 'PII.IPAddress',
    concept: 'Online identifier',
    name: /\b(ip|ip address|client ip)\b/,
    value: (v) => IPV4.test(v),
  },
  {
    what: 'a bank account number',
    text: true,
    tag: 'PII.BankAccount',
    concept: 'Bank account number',
    name: /\b(iban|bank account|account number)\b/,
    value: (v) => IBAN.test(v.replace(/\s/g, '')),
  },
  {
    what: 'a customer identifier',
    concept: 'Customer identifier',
    name: /\b(customer|client|cust) ?(id|key|no|number)\b/,
  },
];

/** `customerEmail`, `customer_email`, `Customer-Email` -> `customer email`. */
export function nameWords(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[^A-Za-z\d]+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * What the rules propose for a column: by name, else by values when every sample matches (at
 * least one sample, and only for rules whose values say enough on their own). Tags first, then
 * concepts, each value once.
 */
export function suggestClassifications(name: string, type: string, samples: readonly string[]): RuleSuggestion[] {
  const words = nameWords(name);
  const text = !NOT_TEXT.test(type.trim());
  const values = samples.map((s) => s.trim()).filter((s) => s !== '' && s.length <= 512);
  const out: RuleSuggestion[] = [];
  for (const rule of RULES) {
    if (rule.text && !text) continue;
    const byName = rule.name?.test(words) ?? false;
    const byValues =
      !byName && !rule.valuesNeedName && rule.value !== undefined && values.length > 0 && values.every(rule.value);
    if (!byName && !byValues) continue;
    const basis: SuggestionBasis = byName ? 'NAME' : 'VALUES';
    const reason = byName
      ? `The name "${name}" reads as ${rule.what}.`
      : `The column's sampled values all look like ${rule.what}.`;
    if (rule.tag) out.push({ kind: 'TAG', value: rule.tag, basis, reason });
    out.push({ kind: 'CONCEPT', value: rule.concept, basis, reason });
  }
  const seen = new Set<string>();
  return out
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'TAG' ? -1 : 1))
    .filter((s) => {
      const key = `${s.kind}:${s.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
