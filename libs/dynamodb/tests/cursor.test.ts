import { decodeCursor, encodeCursor } from '../src';
import { ValidationError } from '@storefront/errors';

describe('page cursors', () => {
  it('round-trips a DynamoDB key through an opaque string', () => {
    const key = { PK: 'ORDER#1', SK: 'ORDER', GSI1PK: 'CUSTOMER#c', GSI1SK: '2026#1' };

    const cursor = encodeCursor(key);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
  });

  it('has no cursor when there is no next page', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a JSON array', Buffer.from('[1,2]').toString('base64url')],
    ['an empty object', Buffer.from('{}').toString('base64url')],
    ['nested values', Buffer.from('{"PK":{"S":"x"}}').toString('base64url')],
  ])('treats %s as a client error', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(ValidationError);
  });
});
