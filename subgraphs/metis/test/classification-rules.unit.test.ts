import { describe, expect, it } from 'vitest';
import { nameWords, suggestClassifications } from '../src/classification-rules.js';

const brief = (name: string, type = 'varchar', samples: string[] = []) =>
  suggestClassifications(name, type, samples).map((s) => `${s.kind}:${s.value}:${s.basis}`);

describe('classification suggestion rules', () => {
  it('splits names into words whatever the case style', () => {
    expect(nameWords('customerEmail')).toBe('customer email');
    expect(nameWords('Customer-E_Mail')).toBe('customer e mail');
    expect(nameWords('DOB')).toBe('dob');
  });

  it('reads e-mails, phones, birth dates, names, addresses, IPs, accounts and customer ids from names', () => {
    expect(brief('email')).toEqual(['TAG:PII.Email:NAME', 'CONCEPT:Email address:NAME']);
    expect(brief('recipientEmail')).toEqual(['TAG:PII.Email:NAME', 'CONCEPT:Email address:NAME']);
    expect(brief('mobile_phone')).toEqual(['TAG:PII.PhoneNumber:NAME', 'CONCEPT:Phone number:NAME']);
    expect(brief('date_of_birth', 'date')).toEqual(['TAG:PII.DateOfBirth:NAME', 'CONCEPT:Date of birth:NAME']);
    expect(brief('last_name')).toEqual(['TAG:PII.Name:NAME', 'CONCEPT:Person name:NAME']);
    expect(brief('street')).toEqual(['TAG:PII.Address:NAME', 'CONCEPT:Postal address:NAME']);
    expect(brief('client_ip')).toEqual(['TAG:PII.IPAddress:NAME', 'CONCEPT:Online identifier:NAME']);
    expect(brief('iban')).toEqual(['TAG:PII.BankAccount:NAME', 'CONCEPT:Bank account number:NAME']);
    expect(brief('customer_id', 'bigint')).toEqual(['CONCEPT:Customer identifier:NAME']);
  });

  it('leaves ordinary names alone, and words inside other words', () => {
    for (const name of ['region', 'order_total', 'hotel', 'zipper_count', 'shipped_at', 'emailed', 'product_name_id']) {
      expect(brief(name), name).toEqual([]);
    }
    // A number or a flag is not an address, whatever its name.
    expect(brief('email', 'boolean')).toEqual([]);
    expect(brief('phone', 'bigint')).toEqual([]);
  });

  it('reads values only when every sample matches, and a date alone is not a birth date', () => {
    expect(brief('contact', 'varchar', ['a@example.com', 'zed@example.org'])).toEqual([
      'TAG:PII.Email:VALUES',
      'CONCEPT:Email address:VALUES',
    ]);
    expect(brief('contact', 'varchar', ['a@example.com', 'n/a'])).toEqual([]);
    expect(brief('contact', 'varchar', ['+49 30 1234567', '(030) 765-4321'])).toEqual([
      'TAG:PII.PhoneNumber:VALUES',
      'CONCEPT:Phone number:VALUES',
    ]);
    expect(brief('src', 'varchar', ['10.0.0.1', '192.168.1.20'])).toEqual([
      'TAG:PII.IPAddress:VALUES',
      'CONCEPT:Online identifier:VALUES',
    ]);
    expect(brief('acct', 'varchar', ['DE89 3704 0044 0532 0130 00'])).toEqual([
      'TAG:PII.BankAccount:VALUES',
      'CONCEPT:Bank account number:VALUES',
    ]);
    expect(brief('created', 'varchar', ['2024-01-02', '2025-03-04'])).toEqual([]);
    expect(brief('contact', 'varchar', [])).toEqual([]);
    expect(brief('amount', 'varchar', ['1', '99999'])).toEqual([]);
  });

  it('gives each suggestion a reason that names the rule, never the values', () => {
    const [s] = suggestClassifications('contact', 'varchar', ['secret.person@example.com']);
    expect(s!.reason).toBe("The column's sampled values all look like an e-mail address.");
    expect(s!.reason).not.toContain('example');
  });
});
