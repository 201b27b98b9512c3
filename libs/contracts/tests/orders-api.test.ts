import { normalizeLines, OrderLines, PageQuery, parseWith, PlaceOrderRequest } from '../src';

describe('PlaceOrderRequest', () => {
  it('accepts a well-formed order request', () => {
    const request = { customerId: 'c-1', currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: 'SKU-1', quantity: 2 }] };

    expect(parseWith(PlaceOrderRequest, request)).toEqual({ success: true, data: request });
  });

  it('requires a payment-method token, never a card number', () => {
    const request = (paymentMethod?: string) => ({
      customerId: 'c-1',
      currency: 'EUR',
      paymentMethod,
      lines: [{ sku: 'SKU-1', quantity: 2 }],
    });

    expect(parseWith(PlaceOrderRequest, request())).toEqual({
      success: false,
      issues: [expect.objectContaining({ path: 'paymentMethod' })],
    });
    expect(parseWith(PlaceOrderRequest, request('4242424242424242'))).toEqual({
      success: false,
      issues: [{ path: 'paymentMethod', message: 'must be a payment-method token such as pm_card_visa' }],
    });
  });

  it('names every field that is wrong, with a readable message', () => {
    const result = parseWith(PlaceOrderRequest, {
      customerId: '',
      currency: 'euro',
      paymentMethod: 'pm_card_visa',
      lines: [{ sku: 'SKU-1', quantity: 0 }],
    });

    expect(result.success).toBe(false);
    const issues = result.success ? [] : result.issues;
    expect(issues.map((issue) => issue.path)).toEqual(['customerId', 'currency', 'lines.0.quantity']);
    expect(issues.find((issue) => issue.path === 'currency')?.message).toBe('must be an ISO 4217 code such as EUR');
    expect(issues.every((issue) => issue.message.length > 0 && issue.message !== 'Invalid input')).toBe(true);
  });

  it('rejects an order without lines', () => {
    const result = parseWith(PlaceOrderRequest, { customerId: 'c-1', currency: 'EUR', lines: [] });

    expect(result.success).toBe(false);
  });

  it('rejects a fractional quantity', () => {
    const result = parseWith(PlaceOrderRequest, { customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 1.5 }] });

    expect(result.success).toBe(false);
  });
});

describe('the order rule: normalize first, then check the limits', () => {
  const request = (lines: unknown[]) => ({ customerId: 'c-1', currency: 'EUR', paymentMethod: 'pm_card_visa', lines });
  const skus = (count: number) => Array.from({ length: count }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));

  it('adds up lines for the same SKU, keeping the order SKUs first appear in', () => {
    expect(
      normalizeLines([
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 4 },
        { sku: 'A', quantity: 2 },
      ]),
    ).toEqual([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 4 },
    ]);
  });

  it('accepts a request with duplicate SKUs as its normalized lines', () => {
    const result = parseWith(
      PlaceOrderRequest,
      request([
        { sku: 'ABC', quantity: 600 },
        { sku: 'ABC', quantity: 400 },
      ]),
    );

    expect(result).toEqual({ success: true, data: request([{ sku: 'ABC', quantity: 1000 }]) });
  });

  it('refuses a request whose lines for one SKU total more than 1000 units, naming the SKU and the rule', () => {
    const result = parseWith(
      PlaceOrderRequest,
      request([
        { sku: 'ABC', quantity: 600 },
        { sku: 'ABC', quantity: 600 },
      ]),
    );

    expect(result).toEqual({ success: false, issues: [{ path: 'lines', message: 'SKU ABC totals 1200 units; at most 1000 per SKU' }] });
  });

  it('counts SKUs, not lines: 60 lines for 50 SKUs pass, 51 SKUs do not', () => {
    expect(parseWith(PlaceOrderRequest, request([...skus(50), ...skus(10)])).success).toBe(true);
    expect(parseWith(PlaceOrderRequest, request(skus(51)))).toEqual({
      success: false,
      issues: [{ path: 'lines', message: '51 SKUs; at most 50 per order' }],
    });
  });

  it('refuses lines that were not normalized where an order is carried (events, stored orders)', () => {
    const result = parseWith(OrderLines, [
      { sku: 'A', quantity: 1 },
      { sku: 'A', quantity: 1 },
    ]);

    expect(result).toEqual({
      success: false,
      issues: [{ path: '(root)', message: 'SKU A appears on more than one line; one line per SKU' }],
    });
  });
});

describe('PageQuery', () => {
  it('defaults the page size to 20', () => {
    expect(parseWith(PageQuery, {})).toEqual({ success: true, data: { limit: 20 } });
  });

  it('reads the page size from the query string', () => {
    expect(parseWith(PageQuery, { limit: '5', cursor: 'abc' })).toEqual({ success: true, data: { limit: 5, cursor: 'abc' } });
  });

  it('refuses a page size above 100', () => {
    expect(parseWith(PageQuery, { limit: '500' }).success).toBe(false);
  });
});
