import { Kind, parse, print, visit, type DirectiveNode, type DocumentNode } from 'graphql';

const SECURITY_SPECS = ['authenticated', 'requiresScopes', 'policy'];
const SECURITY_LINK = /\/(authenticated|requiresScopes|policy)\/v[\d.]+$/;

const linkUrl = (directive: DirectiveNode) => stringArg(directive, 'url');

function stringArg(directive: DirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The name a spec's main directive has in this document: renamed by `as:` or by `import: [{name, as}]`. */
function importedName(link: DirectiveNode, spec: string): string {
  const imports = link.arguments?.find((a) => a.name.value === 'import')?.value;
  if (imports?.kind === Kind.LIST) {
    for (const item of imports.values) {
      if (item.kind !== Kind.OBJECT) continue;
      const field = (n: string) => {
        const v = item.fields.find((f) => f.name.value === n)?.value;
        return v?.kind === Kind.STRING ? v.value : undefined;
      };
      if (field('name') === `@${spec}` && field('as')) return field('as')!.replace(/^@/, '');
    }
  }
  return stringArg(link, 'as') ?? spec;
}

export type SecuritySpec = 'authenticated' | 'requiresScopes' | 'policy';

/** Which security spec each directive name of this document stands for (after renames). */
export function securityDirectiveKinds(document: DocumentNode): Map<string, SecuritySpec> {
  const kinds = new Map<string, SecuritySpec>();
  for (const def of document.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of def.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const match = SECURITY_LINK.exec(linkUrl(directive) ?? '');
      if (match) kinds.set(importedName(directive, match[1]!), match[1] as SecuritySpec);
    }
  }
  return kinds;
}

/** Directive names under which the supergraph imports the security specs. */
export function securityDirectiveNames(document: DocumentNode): Set<string> {
  return new Set(securityDirectiveKinds(document).keys());
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
      if (node.name.value === 'link' && SECURITY_LINK.test(linkUrl(node) ?? '')) {
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
