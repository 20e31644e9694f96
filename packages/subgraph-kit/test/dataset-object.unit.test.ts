import { describe, expect, it } from 'vitest';
import { datasetObject, heimdallTags } from '../src/index.js';

describe('datasetObject: a catalog dataset as Heimdall sees it (Metis and Odin alike)', () => {
  it('sends the URN as the path and the tags with the domain tag, namespaced, sorted, once each', () => {
    const customers = {
      urn: 'dataos://icebase:retail/customers',
      tags: ['Tier.Gold', 'PII', 'dataos:layer:raw', 'PII'],
    };
    expect(datasetObject(customers, 'retail')).toEqual({
      path: 'dataos://icebase:retail/customers',
      tags: ['dataos:domain:retail', 'dataos:layer:raw', 'dataos:tag:PII', 'dataos:tag:Tier.Gold'],
    });
  });

  it('adds no domain tag for a dataset without a domain, and keeps namespaced tags as they are', () => {
    expect(datasetObject({ urn: 'dataos://a:b/c', tags: ['dataos:domain:finance', 'x:y'] }, null)).toEqual({
      path: 'dataos://a:b/c',
      tags: ['dataos:domain:finance', 'x:y'],
    });
    expect(datasetObject({ urn: 'dataos://a:b/c', tags: [] }, null)).toEqual({ path: 'dataos://a:b/c', tags: [] });
  });

  it('gives the same object whatever extra facts the caller holds or the order of its tags', () => {
    const fromMetis = { urn: 'dataos://a:b/c', tags: ['PII', 'Tier.Gold'], domainName: 'retail' };
    const fromOdin = { urn: 'dataos://a:b/c', tags: ['Tier.Gold', 'PII'], domain: 'retail', columns: ['id'] };
    expect(datasetObject(fromMetis, fromMetis.domainName)).toEqual(datasetObject(fromOdin, fromOdin.domain));
  });

  it('maps tags without a namespace under dataos:tag:', () => {
    expect(heimdallTags(['PII.Email', 'dataos:tag:PII.Email', 'b', 'a'])).toEqual([
      'dataos:tag:PII.Email',
      'dataos:tag:a',
      'dataos:tag:b',
    ]);
  });
});
