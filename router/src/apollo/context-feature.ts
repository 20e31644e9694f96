import { Kind, parse, print, visit } from 'graphql';

const CONTEXT_LINK = /\/context\/v[\d.]+$/;

/**
 * `@apollo/gateway` refuses a supergraph that links federation's context spec (`@context`,
 * `@fromContext`) `for: SECURITY`, since its own executor cannot pass context values. Its query
 * planner does plan them (as `contextRewrites`), and the router's executor applies those: the
 * planner's copy keeps the link without `for:`, which Apollo Gateway then accepts.
 */
export function acceptContextFeature(supergraphSdl: string): string {
  if (!supergraphSdl.includes('/context/v')) return supergraphSdl;
  let changed = false;
  const document = visit(parse(supergraphSdl), {
    Directive(node) {
      if (node.name.value !== 'link') return undefined;
      const url = node.arguments?.find((a) => a.name.value === 'url')?.value;
      if (url?.kind !== Kind.STRING || !CONTEXT_LINK.test(url.value)) return undefined;
      changed = true;
      return { ...node, arguments: node.arguments?.filter((a) => a.name.value !== 'for') };
    },
  });
  return changed ? print(document) : supergraphSdl;
}
