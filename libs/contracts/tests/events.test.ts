import { InventoryEvent, newEvent, OrderEvent, parseWith, PaymentEvent, ReportEvent } from '../src';

const envelope = {
  id: 'evt-1',
  version: 1,
  occurredAt: '2026-01-02T03:04:05.000Z',
  source: 'storefront.orders',
  correlationId: 'corr-1',
};

describe('order events', () => {
  it('reads an OrderPlaced envelope', () => {
    const event = {
      ...envelope,
      type: 'OrderPlaced',
      data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
    };

    const result = parseWith(OrderEvent, event);

    expect(result).toEqual({ success: true, data: event });
  });

  it('reads an OrderRejected envelope, the reason included', () => {
    const event = {
      ...envelope,
      type: 'OrderRejected',
      data: { orderId: 'o-1', customerId: 'c-1', previousStatus: 'PENDING', reason: 'RESERVATION_TIMEOUT' },
    };

    expect(parseWith(OrderEvent, event)).toEqual({ success: true, data: event });
    expect(parseWith(OrderEvent, { ...event, data: { ...event.data, reason: 'BORED' } }).success).toBe(false);
  });

  it('refuses an OrderPlaced whose lines break the order rule, as the API refuses the request', () => {
    const placed = (lines: unknown[]) => ({
      ...envelope,
      type: 'OrderPlaced',
      data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines },
    });

    const duplicate = parseWith(
      OrderEvent,
      placed([
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ]),
    );
    const tooMany = parseWith(OrderEvent, placed([{ sku: 'A', quantity: 1001 }]));

    expect(duplicate.success).toBe(false);
    expect(tooMany).toEqual({ success: false, issues: [{ path: 'data.lines', message: 'SKU A totals 1001 units; at most 1000 per SKU' }] });
  });

  it('refuses an event of an unknown type', () => {
    const result = parseWith(OrderEvent, { ...envelope, type: 'OrderShipped', data: {} });

    expect(result.success).toBe(false);
  });

  it('refuses a version it does not know, so a breaking change cannot slip through', () => {
    const result = parseWith(OrderEvent, {
      ...envelope,
      version: 2,
      type: 'OrderPlaced',
      data: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
    });

    expect(result.success).toBe(false);
  });

  it('refuses an envelope without a correlation id', () => {
    const { correlationId: _omitted, ...withoutCorrelation } = envelope;

    const result = parseWith(OrderEvent, {
      ...withoutCorrelation,
      type: 'OrderCancelled',
      data: { orderId: 'o-1', customerId: 'c-1', previousStatus: 'PENDING', lines: [] },
    });

    expect(result.success).toBe(false);
  });
});

describe('newEvent', () => {
  const metadata = { id: 'evt-9', at: new Date('2026-01-02T03:04:05.000Z'), source: 'storefront.inventory', correlationId: 'corr-9' };

  it('wraps the data in the envelope every event shares, at the current version', () => {
    const event = newEvent('StockReleased', { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }] }, metadata);

    expect(event).toEqual({
      id: 'evt-9',
      type: 'StockReleased',
      version: 1,
      occurredAt: '2026-01-02T03:04:05.000Z',
      source: 'storefront.inventory',
      correlationId: 'corr-9',
      data: { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }] },
    });
  });

  it('builds events their consumers read', () => {
    const placed = newEvent(
      'OrderPlaced',
      { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'A', quantity: 1 }] },
      { ...metadata, source: 'storefront.orders' },
    );
    const rejected = newEvent('StockRejected', { orderId: 'o-1', reasons: [{ sku: 'A', reason: 'UNKNOWN_SKU', requested: 1 }] }, metadata);

    expect(parseWith(OrderEvent, placed)).toEqual({ success: true, data: placed });
    expect(parseWith(InventoryEvent, rejected)).toEqual({ success: true, data: rejected });
  });
});

describe('the events of the payment saga', () => {
  const at = new Date('2026-01-02T03:04:05.000Z');
  const from = (source: string) => ({ id: 'evt-7', at, source, correlationId: 'corr-7' });
  const lines = [{ sku: 'A', quantity: 2 }];

  // Each event as its producer builds it, and the union its consumers parse it with.
  it.each([
    [
      'OrderReserved (orders → payments)',
      OrderEvent,
      newEvent(
        'OrderReserved',
        { orderId: 'o-1', customerId: 'c-1', amount: 3998, currency: 'EUR', paymentMethod: 'pm_card_visa', lines },
        from('storefront.orders'),
      ),
    ],
    [
      'StockReserved v2 (inventory → orders)',
      InventoryEvent,
      newEvent(
        'StockReserved',
        { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2, unitPrice: 1999, currency: 'EUR' }] },
        from('storefront.inventory'),
      ),
    ],
    [
      'PaymentCaptured (payments → orders, inventory)',
      PaymentEvent,
      newEvent(
        'PaymentCaptured',
        { orderId: 'o-1', amount: 3998, currency: 'EUR', providerReference: 'pi_1' },
        from('storefront.payments'),
      ),
    ],
    [
      'PaymentFailed (payments → orders, inventory)',
      PaymentEvent,
      newEvent(
        'PaymentFailed',
        { orderId: 'o-1', amount: 3998, currency: 'EUR', reason: 'DECLINED', detail: 'insufficient_funds' },
        from('storefront.payments'),
      ),
    ],
    [
      'OrderConfirmed (orders → reporting)',
      OrderEvent,
      newEvent(
        'OrderConfirmed',
        {
          orderId: 'o-1',
          customerId: 'c-1',
          amount: 3998,
          currency: 'EUR',
          lines: [{ sku: 'A', quantity: 2, unitPrice: 1999, currency: 'EUR' }],
          providerReference: 'pi_1',
        },
        from('storefront.orders'),
      ),
    ],
    [
      'DailyReportReady (reporting)',
      ReportEvent,
      newEvent(
        'DailyReportReady',
        {
          date: '2026-01-01',
          builtAt: '2026-01-02T00:15:04.000Z',
          bucket: 'storefront-prod-reports-123456789012',
          files: { json: 'reports/daily/2026-01-01.json', csv: 'reports/daily/2026-01-01.csv' },
          currencies: [
            { currency: 'EUR', orders: 1, units: 2, revenue: 3998, refunds: 0, refundedUnits: 0, refundedAmount: 0, netRevenue: 3998 },
          ],
          skuRows: 1,
        },
        from('storefront.reporting'),
      ),
    ],
    [
      'PaymentRefunded (payments → reporting)',
      PaymentEvent,
      newEvent(
        'PaymentRefunded',
        { orderId: 'o-1', amount: 3998, currency: 'EUR', providerReference: 'pi_1', refundReference: 're_1' },
        from('storefront.payments'),
      ),
    ],
  ] as const)('publishes %s as its consumers parse it', (_name, consumerSchema, event) => {
    const received = JSON.parse(JSON.stringify(event));

    expect(parseWith(consumerSchema, received)).toEqual({ success: true, data: event });
  });

  it('stamps StockReserved with version 2, the one with prices', () => {
    const event = newEvent(
      'StockReserved',
      { orderId: 'o-1', lines: [{ sku: 'A', quantity: 1, unitPrice: 0, currency: 'EUR' }] },
      from('x'),
    );

    expect(event.version).toBe(2);
  });

  it('refuses a StockReserved without prices, whatever version it claims', () => {
    const unpriced = { ...envelope, source: 'storefront.inventory', type: 'StockReserved', data: { orderId: 'o-1', lines } };

    expect(parseWith(InventoryEvent, unpriced).success).toBe(false);
    expect(parseWith(InventoryEvent, { ...unpriced, version: 2 }).success).toBe(false);
  });

  it('refuses an OrderReserved without a payment method or with a card number instead of a token', () => {
    const data = { orderId: 'o-1', customerId: 'c-1', amount: 3998, currency: 'EUR', lines };
    const reserved = (extra: object) => ({ ...envelope, type: 'OrderReserved', data: { ...data, ...extra } });

    expect(parseWith(OrderEvent, reserved({})).success).toBe(false);
    expect(parseWith(OrderEvent, reserved({ paymentMethod: '4242424242424242' })).success).toBe(false);
    expect(parseWith(OrderEvent, reserved({ paymentMethod: 'pm_card_visa' })).success).toBe(true);
  });

  it('refuses a PaymentFailed whose reason is not one of the known ones', () => {
    const failed = (reason: string) => ({
      ...envelope,
      source: 'storefront.payments',
      type: 'PaymentFailed',
      data: { orderId: 'o-1', amount: 1, currency: 'EUR', reason },
    });

    expect(parseWith(PaymentEvent, failed('PROVIDER_UNAVAILABLE')).success).toBe(true);
    expect(parseWith(PaymentEvent, failed('BAD_LUCK')).success).toBe(false);
  });
});

describe('the events reporting counts', () => {
  const confirmed = (data: object) => ({ ...envelope, type: 'OrderConfirmed', data });
  const valid = {
    orderId: 'o-1',
    customerId: 'c-1',
    amount: 3998,
    currency: 'EUR',
    lines: [{ sku: 'A', quantity: 2, unitPrice: 1999, currency: 'EUR' }],
    providerReference: 'pi_1',
  };

  it('reads an OrderConfirmed with its priced lines', () => {
    expect(parseWith(OrderEvent, confirmed(valid))).toEqual({ success: true, data: confirmed(valid) });
  });

  it('refuses an OrderConfirmed without lines, with a line missing its price, or without the charge', () => {
    const { providerReference: _charge, ...uncharged } = valid;

    expect(parseWith(OrderEvent, confirmed({ ...valid, lines: [] })).success).toBe(false);
    expect(parseWith(OrderEvent, confirmed({ ...valid, lines: [{ sku: 'A', quantity: 2, currency: 'EUR' }] })).success).toBe(false);
    expect(parseWith(OrderEvent, confirmed(uncharged)).success).toBe(false);
  });

  it('refuses a DailyReportReady for a day that is not in the calendar', () => {
    const ready = (date: string) => ({
      ...envelope,
      source: 'storefront.reporting',
      type: 'DailyReportReady',
      data: { date, builtAt: '2026-03-01T00:15:00.000Z', bucket: 'b', files: { json: 'j', csv: 'c' }, currencies: [], skuRows: 0 },
    });

    expect(parseWith(ReportEvent, ready('2026-02-28')).success).toBe(true);
    expect(parseWith(ReportEvent, ready('2026-02-30')).success).toBe(false);
  });
});
