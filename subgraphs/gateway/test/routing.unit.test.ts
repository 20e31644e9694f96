import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ClusterDoc } from '../src/clusters.js';
import { routeQuery, validateSelector, type SelectorInput } from '../src/routing.js';
import { SUBJECTS } from './support.js';

const cluster = (name: string, selector: SelectorInput | null, state: ClusterDoc['state'] = 'RUNNING'): ClusterDoc => ({
  _id: name,
  engine: 'duckdb',
  endpoint: null,
  state,
  createdAt: new Date(),
  selector: selector ? validateSelector(selector) : null,
});

describe('routeQuery: the matching cluster with the lowest priority number', () => {
  const clusters = [
    cluster('minerva-default', null),
    cluster('devs', { tags: ['roles:id:data-dev'], priority: 20 }),
    cluster('alice-only', { users: ['users:id:alice'], priority: 10 }),
    cluster('previews', { sources: ['preview'], priority: 5 }),
    cluster('stopped', { users: ['users:id:*'], priority: 1 }, 'STOPPED'),
    cluster('everyone', { priority: 50 }),
  ];

  it('alice: her own selector (10) beats data-dev (20) and the catch-all (50); a stopped cluster is skipped', () => {
    const { cluster: name, routing } = routeQuery(clusters, SUBJECTS.alice, 'query', 'minerva-default');
    expect(name).toBe('alice-only');
    expect(routing.by).toBe('selector');
    expect(routing.reason).toMatch(/"alice-only" \(priority 10\) matched: users "users:id:alice"; 2 other/);
  });

  it('erin (data-dev) goes to devs; carol (admin) to the catch-all; previews of anyone to previews', () => {
    expect(routeQuery(clusters, SUBJECTS.erin, 'query', 'minerva-default').cluster).toBe('devs');
    expect(routeQuery(clusters, SUBJECTS.carol, 'query', 'minerva-default').cluster).toBe('everyone');
    expect(routeQuery(clusters, SUBJECTS.carol, 'preview', 'minerva-default').cluster).toBe('previews');
  });

  it('every non-empty list must match; no match: the default cluster, said so', () => {
    const strict = [cluster('both', { users: ['users:id:alice'], tags: ['roles:id:admin'], priority: 1 })];
    const r = routeQuery(strict, SUBJECTS.alice, 'query', 'minerva-default');
    expect(r).toEqual({
      cluster: 'minerva-default',
      routing: { by: 'default', reason: `No cluster's selector matched: the default cluster "minerva-default".` },
    });
  });

  it('equal priorities: the first name wins, whatever the order of the list', () => {
    const tie = [cluster('b', { priority: 7 }), cluster('a', { priority: 7 })];
    expect(routeQuery(tie, SUBJECTS.alice, 'query', 'd').cluster).toBe('a');
    expect(routeQuery(tie.reverse(), SUBJECTS.alice, 'query', 'd').cluster).toBe('a');
  });
});

describe('validateSelector: BAD_USER_INPUT at the field', () => {
  const field = (input: SelectorInput) => {
    try {
      validateSelector(input);
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      const e = error as GraphQLError;
      expect(e.extensions.code).toBe('BAD_USER_INPUT');
      return e.extensions.field;
    }
    throw new Error('accepted');
  };

  it.each([
    [{ priority: 0 }, 'input.selector.priority'],
    [{ priority: 101 }, 'input.selector.priority'],
    [{ priority: 1.5 }, 'input.selector.priority'],
    [{ priority: null }, 'input.selector.priority'],
    [{ users: ['users:id:alice', 'users:id:[a'], priority: 1 }, 'input.selector.users[1]'],
    [{ users: ['*'], priority: 1 }, 'input.selector.users[0]'],
    [{ tags: [''], priority: 1 }, 'input.selector.tags[0]'],
    [{ sources: ['{query'], priority: 1 }, 'input.selector.sources[0]'],
    [{ tags: Array.from({ length: 51 }, (_, i) => `t:${i}`), priority: 1 }, 'input.selector.tags'],
  ] as [SelectorInput, string][])('%j → %s', (input, at) => expect(field(input)).toBe(at));

  it('keeps a valid selector, duplicates dropped, absent lists empty', () => {
    expect(validateSelector({ users: ['users:id:*', 'users:id:*'], sources: ['query'], priority: 3 })).toEqual({
      users: ['users:id:*'],
      tags: [],
      sources: ['query'],
      priority: 3,
    });
  });
});
