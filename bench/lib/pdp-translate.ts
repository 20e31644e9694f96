// The same policies for three PDPs: Heimdall's definitions translated to Rego (OPA) and Cedar,
// and one request in the shapes each expects. Only the shapes `generatePolicies` makes are
// translated (exact dataset URNs, `<depot>:<collection>/**`, `dataos://**`, `/<svc>/<res>/*`,
// object tags; subject sets of users, roles and groups): each maps to its PDP's idiom (Cedar's
// entity hierarchy, Rego rules over input fields OPA indexes), and the bench checks that all
// three agree on every request before it measures anything.
import type { ObjectRef, PolicyDefinition, SubjectContext } from '../../subgraphs/heimdall/src/engine/types.js';

type ObjectPattern =
  | { kind: 'exact'; path: string }
  | { kind: 'collection'; id: string }
  | { kind: 'root' }
  | { kind: 'api'; id: string }
  | { kind: 'tag'; tag: string };

function objectPatterns(p: PolicyDefinition): ObjectPattern[] {
  const out: ObjectPattern[] = [];
  for (const path of p.objects.paths) {
    if (path === 'dataos://**') out.push({ kind: 'root' });
    else if (/^dataos:\/\/[^/*]+\/\*\*$/.test(path)) out.push({ kind: 'collection', id: path.slice(9, -3) });
    else if (/^\/[^*]+\/\*$/.test(path)) out.push({ kind: 'api', id: path.slice(0, -2) });
    else if (!/[*?[{]/.test(path)) out.push({ kind: 'exact', path });
    else throw new Error(`no translation for path glob ${path} (policy ${p.name})`);
  }
  for (const tag of p.objects.tags) {
    if (/[*?[{]/.test(tag)) throw new Error(`no translation for tag glob ${tag} (policy ${p.name})`);
    out.push({ kind: 'tag', tag });
  }
  return out;
}

type SubjectTerm = { kind: 'user' | 'role' | 'group'; id: string };

function subjectTerms(set: string[], policy: string): SubjectTerm[] {
  return set.map((tag) => {
    const m = /^(users|roles|groups):id:([^*?[{]+)$/.exec(tag);
    if (!m) throw new Error(`no translation for subject tag ${tag} (policy ${policy})`);
    return { kind: m[1] === 'users' ? 'user' : m[1] === 'roles' ? 'role' : 'group', id: m[2]! };
  });
}

const q = (s: string) => JSON.stringify(s);

// ---- Cedar ----

const cedarEntity = { user: 'User', role: 'Role', group: 'Group' } as const;

function cedarResource(o: ObjectPattern): string {
  switch (o.kind) {
    case 'exact':
      return `resource == Object::${q(o.path)}`;
    case 'collection':
      return `resource in Collection::${q(o.id)}`;
    case 'root':
      return `resource in Root::"dataos"`;
    case 'api':
      return `resource in Api::${q(o.id)}`;
    case 'tag':
      return `resource in Tag::${q(o.tag)}`;
  }
}

/** One Cedar policy per (subject set, object pattern): OR across policies is Cedar's own. */
export function toCedar(policies: PolicyDefinition[]): string {
  const out: string[] = [];
  for (const p of policies) {
    const effect = p.effect === 'deny' ? 'forbid' : 'permit';
    const action = p.actions.includes('*')
      ? 'action'
      : p.actions.length === 1
        ? `action == Action::${q(p.actions[0]!)}`
        : `action in [${p.actions.map((a) => `Action::${q(a)}`).join(', ')}]`;
    for (const set of p.subjects) {
      const [first, ...rest] = subjectTerms(set, p.name);
      const principal =
        first!.kind === 'user'
          ? `principal == User::${q(first!.id)}`
          : `principal in ${cedarEntity[first!.kind]}::${q(first!.id)}`;
      const when = rest.map((t) =>
        t.kind === 'user' ? `principal == User::${q(t.id)}` : `principal in ${cedarEntity[t.kind]}::${q(t.id)}`,
      );
      for (const o of objectPatterns(p)) {
        out.push(
          `@id(${q(`${p.name}#${out.length}`)})\n${effect}(${principal}, ${action}, ${cedarResource(o)})${when.length ? ` when { ${when.join(' && ')} }` : ''};`,
        );
      }
    }
  }
  return out.join('\n');
}

/** What a path says about its place: its collection (`depot:coll`) or API parent, and whether it is a URN. */
function placeOf(path: string): { urn: boolean; collection: string | null; api: string | null } {
  const urn = path.startsWith('dataos://');
  const m = urn ? /^dataos:\/\/([^/]+)\/[^/]+$/.exec(path) : null;
  const api = !urn && path.lastIndexOf('/') > 0 ? path.slice(0, path.lastIndexOf('/')) : null;
  return { urn, collection: m ? m[1]! : null, api };
}

const uid = (type: string, id: string) => ({ type, id });

/** The principal and resource entities of one request, with their parents (roles, collection, tags). */
export function cedarRequest(subject: SubjectContext, action: string, object: ObjectRef) {
  const user = subject.id.slice('users:id:'.length);
  const parents = subject.tags.flatMap((t) => {
    const m = /^(roles|groups):id:(.+)$/.exec(t);
    return m ? [uid(m[1] === 'roles' ? 'Role' : 'Group', m[2]!)] : [];
  });
  const path = object.path ?? '';
  const place = placeOf(path);
  const resourceParents = [
    ...(place.collection ? [uid('Collection', place.collection)] : []),
    ...(place.urn ? [uid('Root', 'dataos')] : []),
    ...(place.api ? [uid('Api', place.api)] : []),
    ...(object.tags ?? []).map((t) => uid('Tag', t)),
  ];
  return {
    principal: uid('User', user),
    action: uid('Action', action),
    resource: uid('Object', path),
    context: {},
    entities: [
      { uid: uid('User', user), attrs: {}, parents },
      { uid: uid('Object', path), attrs: {}, parents: resourceParents },
    ],
  };
}

// ---- Rego (OPA) ----

function regoObject(o: ObjectPattern): string {
  switch (o.kind) {
    case 'exact':
      return `input.path == ${q(o.path)}`;
    case 'collection':
      return `input.collection == ${q(o.id)}`;
    case 'root':
      return 'input.urn == true';
    case 'api':
      return `input.api == ${q(o.id)}`;
    case 'tag':
      return `input.tags[${q(o.tag)}]`;
  }
}

function regoSubject(t: SubjectTerm): string {
  return t.kind === 'user' ? `input.user == ${q(t.id)}` : `input.${t.kind}s[${q(t.id)}]`;
}

/**
 * One rule per (subject set, object pattern, action), with equality on input fields where the
 * policy allows it (path, collection, API parent, action, user), which OPA's rule index uses to
 * skip rules; deny overrides allow; `batch` answers many checks in one query.
 */
export function toRego(policies: PolicyDefinition[]): string {
  const out = [
    'package heimdall',
    '',
    'default allowed := false',
    '',
    'allowed if {',
    '\tcount(deny_hits) == 0',
    '\tcount(allow_hits) > 0',
    '}',
    '',
    'batch := [a | some c in input.checks; a := allowed with input as c]',
    '',
  ];
  for (const p of policies) {
    const head = p.effect === 'deny' ? 'deny_hits' : 'allow_hits';
    const actions = p.actions.includes('*') ? [null] : p.actions;
    for (const set of p.subjects) {
      const terms = subjectTerms(set, p.name).map(regoSubject);
      for (const o of objectPatterns(p)) {
        for (const a of actions) {
          const body = [...(a ? [`input.action == ${q(a)}`] : []), regoObject(o), ...terms];
          out.push(`${head} contains ${q(p.name)} if {\n${body.map((b) => `\t${b}`).join('\n')}\n}`);
        }
      }
    }
  }
  return out.join('\n') + '\n';
}

/** The input of one check for the Rego above. */
export function regoInput(subject: SubjectContext, action: string, object: ObjectRef) {
  const set = (prefix: string) =>
    Object.fromEntries(subject.tags.filter((t) => t.startsWith(prefix)).map((t) => [t.slice(prefix.length), true]));
  const path = object.path ?? '';
  const place = placeOf(path);
  return {
    user: subject.id.slice('users:id:'.length),
    roles: set('roles:id:'),
    groups: set('groups:id:'),
    action,
    path,
    collection: place.collection ?? '',
    api: place.api ?? '',
    urn: place.urn,
    tags: Object.fromEntries((object.tags ?? []).map((t) => [t, true])),
  };
}
