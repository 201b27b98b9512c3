import { readFileSync } from 'node:fs';
import { gbSeconds, type PriceTable, priceUsage } from '../src/cost/pricing.ts';
import { UsageMeter } from '#local-cloud';

const prices: PriceTable = JSON.parse(readFileSync(new URL('../src/cost/prices.json', import.meta.url), 'utf8'));
const functions = { 'storefront-orders-local-placeOrder': { memoryMB: 256, architecture: 'arm64' as const } };

describe('pricing an order', () => {
  it('names its region and date, and where each price comes from', () => {
    expect(prices.region).toBe('us-east-1');
    expect(prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const line of Object.values(prices.lines)) expect(line.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });

  it('turns billed milliseconds at a memory size into GB-seconds', () => {
    expect(gbSeconds(1000, 1024)).toBe(1);
    expect(gbSeconds(200, 256)).toBe(0.05);
  });

  it("prices a function's invocations and its GB-seconds per million orders", () => {
    const usage = UsageMeter.empty();
    usage.lambda['storefront-orders-local-placeOrder'] = { invocations: 10, billedMs: 1000, reportedInvocations: 10 };

    const { lines, usdPerMillionOrders } = priceUsage(usage, { orders: 10, prices, functions });

    // A million orders: a million requests ($0.20) and 100 ms × 0.25 GB each, 25,000 GB-s at $0.0000133334.
    expect(usdPerMillionOrders).toBeCloseTo(0.2 + 25_000 * 0.0000133334, 6);
    expect(lines).toEqual([{ line: 'Lambda orders/placeOrder (256 MB, arm64)', perOrder: '1 invocations, 100 ms', usdPerMillionOrders }]);
  });

  it('prices DynamoDB request units, state transitions and API requests, largest line first', () => {
    const usage = UsageMeter.empty();
    usage.dynamodb['storefront-orders-local-orders'] = {
      readUnits: 2,
      writeUnits: 8,
      requests: 4,
      failedConditionalWrites: 0,
      byOperation: {},
    };
    usage.stepFunctions.transitions = 6;
    usage.httpApi.requests = 2;

    const { lines, usdPerMillionOrders } = priceUsage(usage, { orders: 2, prices, functions });

    expect(lines.map((l) => [l.line, l.usdPerMillionOrders])).toEqual([
      ['Step Functions state transitions', 75],
      ['DynamoDB orders-local-orders writes', 2.5],
      ['HTTP API requests', 1],
      ['DynamoDB orders-local-orders reads', 0.125],
    ]);
    expect(usdPerMillionOrders).toBeCloseTo(78.625, 9);
  });

  it('refuses to price a function whose memory size it does not know', () => {
    const usage = UsageMeter.empty();
    usage.lambda['storefront-unknown-local-fn'] = { invocations: 1, billedMs: 1, reportedInvocations: 1 };

    expect(() => priceUsage(usage, { orders: 1, prices, functions })).toThrow(
      'no memory size known for function storefront-unknown-local-fn',
    );
  });
});
