import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CursorCodec, isOffset, isString, pageSize } from '../src/index.js';

/** The error's code, field and message, or null when nothing was thrown. */
function refusal(run: () => unknown) {
  try {
    run();
    return null;
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    return { code: e.extensions.code, field: e.extensions.field, message: e.message };
  }
}

const reencode = (cursor: string, edit: (raw: Buffer) => Buffer) =>
  edit(Buffer.from(cursor, 'base64url')).toString('base64url');

describe('cursors, sealed (a secret shared by the replicas)', () => {
  const codec = new CursorCodec('k1');

  it('round-trip any JSON key and hide it', () => {
    const cursor = codec.encode('dataset', 'dataos://secret:x/y');
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('secret');
    expect(codec.decode('dataset', cursor)).toBe('dataos://secret:x/y');
    expect(codec.decode('search', codec.encode('search', { s: 1.5, id: 'a' }))).toEqual({ s: 1.5, id: 'a' });
    expect(codec.encode('dataset', 'a')).not.toBe(codec.encode('dataset', 'a'));
  });

  it('refuse another list, another key, a changed byte, a cut tag and garbage, naming the field', () => {
    const cursor = codec.encode('dataset', 'x');
    const refused = { code: 'BAD_USER_INPUT', field: 'after', message: 'The cursor is not valid here.' };
    expect(refusal(() => codec.decode('search', cursor))).toEqual(refused);
    expect(refusal(() => new CursorCodec('k2').decode('dataset', cursor))).toEqual(refused);
    expect(refusal(() => new CursorCodec().decode('dataset', cursor))).toEqual(refused);
    const flipped = reencode(cursor, (raw) => Buffer.concat([raw.subarray(0, -1), Buffer.of(raw.at(-1)! ^ 1)]));
    expect(refusal(() => codec.decode('dataset', flipped))).toEqual(refused);
    const shortTag = reencode(cursor, (raw) => Buffer.concat([raw.subarray(0, 1 + 12 + 4), raw.subarray(1 + 12 + 16)]));
    expect(refusal(() => codec.decode('dataset', shortTag))).toEqual(refused);
    for (const bad of ['', 'not-a-cursor', '!!!', cursor + 'A']) {
      expect(refusal(() => codec.decode('dataset', bad, { field: 'cursor' }))).toEqual({ ...refused, field: 'cursor' });
    }
  });
});

describe('cursors, plain (opaque but readable: the guard checks the key)', () => {
  const codec = new CursorCodec();

  it('round-trip and check the key with the guard', () => {
    expect(codec.sealed).toBe(false);
    expect(codec.decode('pod', codec.encode('pod', 'ns/a'), { is: isString })).toBe('ns/a');
    expect(codec.decode('event', codec.encode('event', 42), { is: isOffset })).toBe(42);
    const refused = { code: 'BAD_USER_INPUT', field: 'after', message: 'The cursor is not valid here.' };
    expect(refusal(() => codec.decode('event', codec.encode('event', -1), { is: isOffset }))).toEqual(refused);
    expect(refusal(() => codec.decode('event', codec.encode('event', '1'), { is: isOffset }))).toEqual(refused);
    expect(refusal(() => codec.decode('pod', codec.encode('pod', ''), { is: isString }))).toEqual(refused);
    expect(refusal(() => codec.decode('pod', codec.encode('policy', 'x'), { is: isString }))).toEqual(refused);
  });

  it('refuse what encode would not write: an unversioned, padded or hand-made cursor', () => {
    const refused = { code: 'BAD_USER_INPUT', field: 'after', message: 'The cursor is not valid here.' };
    const cursor = codec.encode('pod', 'x');
    expect(refusal(() => codec.decode('pod', cursor + '='))).toEqual(refused);
    expect(
      refusal(() =>
        codec.decode(
          'pod',
          reencode(cursor, (raw) => Buffer.concat([Buffer.of(9), raw.subarray(1)])),
        ),
      ),
    ).toEqual(refused);
    // the old, unversioned format: base64url of the bare key
    expect(refusal(() => codec.decode('pod', Buffer.from('x').toString('base64url')))).toEqual(refused);
    expect(refusal(() => codec.decode('pod', Buffer.from('\u0001{"a":1}').toString('base64url')))).toEqual(refused);
  });

  it('bound to what it pages: the same parts pass, others are refused as another query', () => {
    const cursor = codec.encode('result', 100, ['cluster', 'SELECT 1', 'alice']);
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain('alice');
    expect(
      codec.decode('result', cursor, { is: isOffset, bind: ['cluster', 'SELECT 1', 'alice'], field: 'cursor' }),
    ).toBe(100);
    const other = {
      code: 'BAD_USER_INPUT',
      field: 'cursor',
      message: 'The cursor belongs to another query or caller.',
    };
    expect(
      refusal(() =>
        codec.decode('result', cursor, { is: isOffset, bind: ['cluster', 'SELECT 1', 'bob'], field: 'cursor' }),
      ),
    ).toEqual(other);
    expect(refusal(() => codec.decode('result', cursor, { is: isOffset, field: 'cursor' }))).toEqual(other);
    // parts are separated, not concatenated
    expect(
      refusal(() => codec.decode('result', cursor, { is: isOffset, bind: ['clusterSELECT 1', '', 'alice'] })),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(refusal(() => codec.decode('result', codec.encode('result', 1), { is: isOffset, bind: ['x'] }))).toEqual({
      ...other,
      field: 'after',
    });
  });
});

describe('pageSize', () => {
  it('takes the fallback, accepts 1..max and names the argument otherwise', () => {
    expect(pageSize(undefined, { max: 100, fallback: 20 })).toBe(20);
    expect(pageSize(null, { max: 100, fallback: 20 })).toBe(20);
    expect(pageSize(100, { max: 100, fallback: 20 })).toBe(100);
    for (const n of [0, -1, 101, 1.5, Number.NaN]) {
      expect(refusal(() => pageSize(n, { max: 100, fallback: 20 }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'first',
        message: 'first must be between 1 and 100.',
      });
    }
    expect(refusal(() => pageSize(0, { max: 5, fallback: 1, field: 'limit' }))).toMatchObject({ field: 'limit' });
  });
});
