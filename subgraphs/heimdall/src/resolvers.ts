import { ObjectId } from 'mongodb';
import { badUserInput, conflict, forbidden, notFound } from '@dataos/errors';
import { CursorCodec, DateTimeScalar, isString, pageSize, requirePrincipal } from '@dataos/subgraph-kit';
import { adminTags } from './bootstrap.js';
import { decideAbout, decideFor, requireAllowed } from './decide.js';
import { grantsResolver } from './grants.js';
import { policyDryRun } from './dry-run.js';
import { loadSuites, runSuite, SuiteError } from './policy-tests/suite.js';
import { decisionSubject, unseenNote } from './others.js';
import { policyChangeResolvers } from './live/resolvers.js';
import { PolicyValidationError } from './engine/types.js';
import { privilegedTagChanges, validateAssignedTags } from './engine/validate.js';
import { refuseAdminLockout, refuseAdminPolicyChange } from './guards.js';
import type { Resolvers } from './generated/resolvers.js';
import { checkFromInput, policyFromInput, toGraphQLPolicy } from './mapping.js';
import { DuplicatePolicyError, StaleVersionError } from './store/policies.js';
import { routerAuthorization } from './router-authorization.js';
import { normalizeUserId } from './subject.js';
import { subjectView } from './subject-view.js';

const MAX_BATCH = 1000;

/** Not sealed: policy names and decision ids are what the pages show anyway. */
const cursors = new CursorCodec();
const isObjectIdHex = (key: unknown): key is string =>
  typeof key === 'string' && ObjectId.isValid(key) && key.length === 24;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    whoami: (_root, _args, ctx) => subjectView(requirePrincipal(ctx), ctx),

    decide: async (_root, { input, subject }, ctx) => {
      const { action, object } = checkFromInput(input, 'input');
      const who = await decisionSubject(ctx, subject);
      const result = decideAbout(ctx, who, action, object);
      return {
        key: input.key ?? null,
        subject: who.subject.id,
        action,
        object: { path: object.path ?? null, tags: [...(object.tags ?? [])] },
        ...result,
        reason: result.reason + unseenNote(who),
      };
    },

    decideBatch: async (_root, { inputs, subject }, ctx) => {
      if (inputs.length > MAX_BATCH) throw badUserInput(`At most ${MAX_BATCH} checks per batch.`, { field: 'inputs' });
      // Validate every input before deciding any, so a bad batch logs nothing.
      const checks = inputs.map((input, i) => checkFromInput(input, `inputs[${i}]`));
      const who = await decisionSubject(ctx, subject);
      const note = unseenNote(who);
      return checks.map(({ action, object }, i) => {
        const result = decideAbout(ctx, who, action, object);
        return {
          key: inputs[i]!.key ?? null,
          subject: who.subject.id,
          action,
          object: { path: object.path ?? null, tags: [...(object.tags ?? [])] },
          ...result,
          reason: result.reason + note,
        };
      });
    },

    grants: (_root, { input }, ctx) => grantsResolver(ctx, input),

    policyDryRun: (_root, { input }, ctx) => policyDryRun(ctx, input),

    decisionLogExport: (_root, _args, ctx) => {
      requireAllowed(ctx, 'read', '/heimdall/decisions');
      return ctx.exporter?.stats() ?? null;
    },

    policyTests: async (_root, { suite }, ctx) => {
      requireAllowed(ctx, 'read', '/heimdall/policies');
      try {
        const suites = await loadSuites(ctx.settings.policyTestsDir, suite);
        return suites.map((s) => runSuite(s.name, s.suite, ctx.index.engine));
      } catch (error) {
        if (error instanceof SuiteError) throw badUserInput(error.message, { field: 'suite' });
        throw error;
      }
    },

    routerAuthorization: (_root, { policies }, ctx) => routerAuthorization(ctx, policies),

    policies: async (_root, { first, after, filter }, ctx) => {
      requireAllowed(ctx, 'read', '/heimdall/policies');
      const size = pageSize(first, { max: 500, fallback: 50 });
      const page = await ctx.policies.page(size, after ? cursors.decode('policy', after, { is: isString }) : null, {
        search: filter?.search ?? null,
        effect: filter?.effect ? (filter.effect === 'DENY' ? 'deny' : 'allow') : null,
        collection: filter?.collection ?? null,
      });
      return {
        edges: page.docs.map((doc) => ({ cursor: cursors.encode('policy', doc._id), node: toGraphQLPolicy(doc) })),
        pageInfo: {
          hasNextPage: page.hasNextPage,
          endCursor: page.docs.length ? cursors.encode('policy', page.docs.at(-1)!._id) : null,
        },
        totalCount: page.totalCount,
      };
    },

    policy: async (_root, { name }, ctx) => {
      requireAllowed(ctx, 'read', '/heimdall/policies');
      const doc = await ctx.policies.get(name);
      return doc ? toGraphQLPolicy(doc) : null;
    },

    userTags: async (_root, { userId }, ctx) => {
      requireAllowed(ctx, 'read', '/heimdall/users');
      const id = normalizeUserId(userId);
      const doc = await ctx.userTags.get(id);
      return { userId: id, tags: doc?.tags ?? [], updatedAt: doc?.updatedAt ?? null };
    },

    decisions: async (_root, { first, after, filter }, ctx) => {
      requireAllowed(ctx, 'read', '/heimdall/decisions');
      const size = pageSize(first, { max: 500, fallback: 50 });
      const afterId = after ? cursors.decode('decision', after, { is: isObjectIdHex }) : null;
      await ctx.decisionLog.flush(); // the caller sees its own request's decisions too
      const page = await ctx.decisionLog.page(size, afterId, filter ?? {});
      return {
        edges: page.docs.map((doc) => ({
          cursor: cursors.encode('decision', doc._id!.toHexString()),
          node: { ...doc, askedBy: doc.askedBy ?? null, id: doc._id!.toHexString() },
        })),
        pageInfo: {
          hasNextPage: page.hasNextPage,
          endCursor: page.docs.length ? cursors.encode('decision', page.docs.at(-1)!._id!.toHexString()) : null,
        },
      };
    },
  },

  Mutation: {
    createPolicy: async (_root, { input }, ctx) => {
      const policy = policyFromInput(input);
      requireAllowed(ctx, 'manage', '/heimdall/policies');
      refuseAdminLockout(policy, ctx.index);
      try {
        const { doc, version } = await ctx.policies.create(policy, requirePrincipal(ctx).id);
        await ctx.index.refresh(version === null ? { force: true } : { minVersion: version });
        return toGraphQLPolicy(doc);
      } catch (error) {
        if (error instanceof DuplicatePolicyError) {
          throw conflict(`A policy named "${policy.name}" already exists.`, { field: 'input.name' });
        }
        throw error;
      }
    },

    updatePolicy: async (_root, { name, input, expectedVersion }, ctx) => {
      if (input.name !== name) {
        throw badUserInput(`input.name "${input.name}" differs from "${name}": policies cannot be renamed.`, {
          field: 'input.name',
        });
      }
      const policy = policyFromInput(input);
      requireAllowed(ctx, 'manage', '/heimdall/policies');
      refuseAdminPolicyChange(name, 'change');
      refuseAdminLockout(policy, ctx.index);
      try {
        const written = await ctx.policies.replace(policy, requirePrincipal(ctx).id, expectedVersion);
        if (!written) throw notFound(`No policy named "${name}".`, { field: 'name' });
        await ctx.index.refresh(written.version === null ? { force: true } : { minVersion: written.version });
        return toGraphQLPolicy(written.doc);
      } catch (error) {
        if (error instanceof StaleVersionError) {
          throw conflict(`Policy "${name}" changed since version ${expectedVersion}; reload it and try again.`, {
            field: 'expectedVersion',
          });
        }
        throw error;
      }
    },

    deletePolicy: async (_root, { name }, ctx) => {
      requireAllowed(ctx, 'manage', '/heimdall/policies');
      refuseAdminPolicyChange(name, 'delete');
      const written = await ctx.policies.delete(name, requirePrincipal(ctx).id);
      if (!written) throw notFound(`No policy named "${name}".`, { field: 'name' });
      await ctx.index.refresh(written.version === null ? { force: true } : { minVersion: written.version });
      return { name, deleted: true };
    },

    setUserTags: async (_root, { userId, tags }, ctx) => {
      let valid: string[];
      try {
        valid = validateAssignedTags(tags);
      } catch (error) {
        if (error instanceof PolicyValidationError) throw badUserInput(error.message, { field: error.field });
        throw error;
      }
      requireAllowed(ctx, 'manage', '/heimdall/users');
      const id = normalizeUserId(userId);
      // Roles and groups are what policies grant on: handing them out is a policy-level right,
      // or whoever manages users could make themselves admin.
      const privileged = privilegedTagChanges((await ctx.userTags.get(id))?.tags ?? [], valid, adminTags());
      if (privileged.length) {
        const result = decideFor(ctx, 'manage', { path: '/heimdall/policies' });
        if (!result.allowed) {
          throw forbidden(
            `Assigning or removing ${privileged.map((t) => `"${t}"`).join(', ')} needs manage on /heimdall/policies (roles:, groups: and admin tags grant what policies grant): ${result.reason}`,
            { action: 'manage', object: '/heimdall/policies', field: 'tags' },
          );
        }
      }
      const { doc, version } = await ctx.userTags.set(id, valid, requirePrincipal(ctx).id);
      await ctx.index.refresh(version === null ? { force: true } : { minVersion: version });
      return { userId: id, tags: doc.tags, updatedAt: doc.updatedAt };
    },
  },

  ...policyChangeResolvers,

  Subject: {
    // Other subgraphs may reference the caller; nobody learns another subject's tags this way.
    __resolveReference: (ref, ctx) => (ctx.principal?.id === ref.id ? subjectView(ctx.principal, ctx) : null),
  },

  Policy: {
    __resolveReference: async (ref, ctx) => {
      requireAllowed(ctx, 'read', '/heimdall/policies');
      const doc = await ctx.policies.get(ref.name);
      return doc ? toGraphQLPolicy(doc) : null;
    },
  },
};
