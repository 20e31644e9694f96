import { Kind, parse } from 'graphql';

/** The subgraphs named by the supergraph's `join__Graph` enum, with their URLs. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const result: { name: string; url: string }[] = [];
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      const arg = (n: string) => {
        const v = graph?.arguments?.find((a) => a.name.value === n)?.value;
        return v?.kind === Kind.STRING ? v.value : undefined;
      };
      const name = arg('name');
      const url = arg('url');
      if (name && url) result.push({ name, url });
    }
  }
  return result;
}
