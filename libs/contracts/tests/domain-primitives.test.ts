import { eventMetadata } from '../src';

describe('the envelope a service stamps on its events', () => {
  const deps = { now: () => new Date('2026-01-02T03:04:05.000Z'), newId: () => 'evt-1' };

  it('carries a new id, the time now, the publishing service and the correlation id of its cause', () => {
    expect(eventMetadata('storefront.orders', deps, 'corr-1')).toEqual({
      id: 'evt-1',
      at: new Date('2026-01-02T03:04:05.000Z'),
      source: 'storefront.orders',
      correlationId: 'corr-1',
    });
  });

  it('takes the time it is given: the instant the change it announces was made', () => {
    const at = new Date('2026-01-02T00:00:00.000Z');

    expect(eventMetadata('storefront.orders', deps, 'corr-1', at).at).toBe(at);
  });
});
