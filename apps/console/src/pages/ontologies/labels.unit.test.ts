import { describe, expect, it } from 'vitest';
import { labelsByLanguage, otherAnnotations } from './labels.js';

describe('labelsByLanguage', () => {
  it('groups labels, alternative labels and definitions per language, untagged last, duplicates once', () => {
    const groups = labelsByLanguage({
      labels: [
        { value: 'Customer', language: 'en' },
        { value: 'Kunde', language: 'de' },
        { value: 'Customer', language: 'EN' },
        { value: 'customer' },
      ],
      altLabels: [{ value: 'Client', language: 'en' }],
      definitions: [{ value: 'Eine Person, die bestellt.', language: 'de' }],
    });
    expect(groups).toEqual([
      { language: 'de', labels: ['Kunde'], altLabels: [], definitions: ['Eine Person, die bestellt.'] },
      { language: 'en', labels: ['Customer'], altLabels: ['Client'], definitions: [] },
      { language: null, labels: ['customer'], altLabels: [], definitions: [] },
    ]);
  });
});

describe('otherAnnotations', () => {
  it('leaves out what the labels table shows', () => {
    const rdfs = 'http://www.w3.org/2000/01/rdf-schema#';
    const skos = 'http://www.w3.org/2004/02/skos/core#';
    const kept = { predicate: 'http://purl.org/dc/terms/source' };
    expect(
      otherAnnotations([
        { predicate: `${rdfs}label` },
        { predicate: `${skos}altLabel` },
        { predicate: `${skos}definition` },
        kept,
      ]),
    ).toEqual([kept]);
  });
});
