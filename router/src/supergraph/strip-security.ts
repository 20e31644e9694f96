import { Kind, parse, print, visit, type DirectiveNode, type DocumentNode } from 'graphql';

const SECURITY_SPECS = ['authenticated', 'requiresScopes', 'policy'];

function linkUrl(directive: DirectiveNode): string | undefined {
  const url = directive.arguments?.find((a) => a.name.value === 'url')?.value;
  return url?.kind === Kind.STRING ? url.value : undefined;
}

/** Directive names under which the supergraph imports the security specs (`@link(as:)` respected). */
export function securityDirectiveNames(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  for (const def of document.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of def.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const match = /\/(authenticated|requiresScopes|policy)\/v[\d.]+$/.exec(linkUrl(directive) ?? '');
      if (!match) continue;
      const as = directive.arguments?.find((a) => a.name.value === 'as')?.value;
      names.add(as?.kind === Kind.STRING ? as.value : match[1]!);
    }
  }
  return names;
}

/**
 * `@apollo/gateway` refuses supergraphs with `for: SECURITY` features it does not enforce.
 * The router enforces them itself, then plans on a copy without them: their links, directive
 * definitions, applications and the scalars they define (`requiresScopes__Scope`, ...).
 */
export function stripSecurityFeatures(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  const names = securityDirectiveNames(document);
  if (names.size === 0) return supergraphSdl;
  const scalarPrefixes = [...names, ...SECURITY_SPECS].map((n) => `${n}__`);
  const stripped = visit(document, {
    Directive(node) {
      if (names.has(node.name.value)) return null;
      if (node.name.value === 'link' && /\/(authenticated|requiresScopes|policy)\/v[\d.]+$/.test(linkUrl(node) ?? '')) {
        return null;
      }
      return undefined;
    },
    DirectiveDefinition(node) {
      return names.has(node.name.value) ? null : undefined;
    },
    ScalarTypeDefinition(node) {
      return scalarPrefixes.some((p) => node.name.value.startsWith(p)) ? null : undefined;
    },
  });
  return print(stripped);
}
