import { DEMO_CATALOG, type DemoCatalog } from '../src/index.js';

/**
 * The demo catalog under names unique to one test run (depots, domains, glossary terms,
 * resources, people), so a test can seed and delete it without touching the real demo.
 */
export function demoLikeCatalog(id: string): DemoCatalog {
  const c = DEMO_CATALOG;
  const urn = (u: string) => u.replace(/^dataos:\/\/([^:]+):/, `dataos://${id}-$1:`);
  const resource = (u: string) => u.replace(/^(dataos:\/\/[a-z]+:[^/]+\/)/, `$1${id}-`);
  const domain = (d: string) => `${id}-${d}`;
  const term = (t: string) => `${id} ${t}`;
  const person = (p: string) => p.replace(/:id:/, `:id:${id}-`);
  const tag = (t: string) =>
    t.startsWith('dataos:domain:') ? `dataos:domain:${domain(t.slice('dataos:domain:'.length))}` : t;
  return {
    people: Object.fromEntries(Object.entries(c.people).map(([k, v]) => [person(k), v])),
    domains: c.domains.map((d) => ({ ...d, name: domain(d.name) })),
    glossary: c.glossary.map((g) => ({
      ...g,
      name: term(g.name),
      domain: g.domain && domain(g.domain),
      related: g.related.map(term),
    })),
    sources: c.sources.map((s) => ({ ...s, name: `${id}-${s.name}` })),
    resources: c.resources.map((r) => ({ ...r, name: `${id}-${r.name}`, owner: person(r.owner) })),
    datasets: c.datasets.map((d) => ({
      ...d,
      urn: urn(d.urn),
      tags: d.tags.map(tag),
      ...(d.domain ? { domain: domain(d.domain) } : {}),
      ...(d.owners ? { owners: d.owners.map(person) } : {}),
      ...(d.glossaryTerms ? { glossaryTerms: d.glossaryTerms.map(term) } : {}),
    })),
    lineage: c.lineage.map((l) => ({ ...l, via: resource(l.via), from: l.from.map(urn), to: urn(l.to) })),
    runs: c.runs.map((r) => ({ ...r, dataset: urn(r.dataset), via: resource(r.via) })),
  };
}
