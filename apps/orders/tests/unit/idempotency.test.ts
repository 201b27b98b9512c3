import { requestFingerprint } from '../../src/domain/idempotency';

describe('request fingerprints', () => {
  it('ignores the order of keys', () => {
    expect(requestFingerprint({ a: 1, b: { c: 2, d: 3 } })).toBe(requestFingerprint({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('differs when a value differs', () => {
    expect(requestFingerprint({ lines: [{ sku: 'A', quantity: 1 }] })).not.toBe(requestFingerprint({ lines: [{ sku: 'A', quantity: 2 }] }));
  });

  it('keeps array order significant', () => {
    expect(requestFingerprint([1, 2])).not.toBe(requestFingerprint([2, 1]));
  });
});
