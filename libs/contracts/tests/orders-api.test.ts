import { PageQuery, parseWith, PlaceOrderRequest } from '../src';

describe('PlaceOrderRequest', () => {
  it('accepts a well-formed order request', () => {
    const result = parseWith(PlaceOrderRequest, { customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 2 }] });

    expect(result).toEqual({ success: true, data: { customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 2 }] } });
  });

  it('names every field that is wrong, with a readable message', () => {
    const result = parseWith(PlaceOrderRequest, { customerId: '', currency: 'euro', lines: [{ sku: 'SKU-1', quantity: 0 }] });

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
