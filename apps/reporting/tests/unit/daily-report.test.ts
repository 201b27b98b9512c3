import { dailyReport, isStale, rebuildWindow, reportCsv, scheduledDays } from '../../src/domain/daily-report';

describe('which days a scheduled run builds', () => {
  const today = '2026-03-10';

  it('looks back over the seven full days before today', () => {
    expect(rebuildWindow(today)).toEqual([
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
    ]);
  });

  it('builds yesterday even when nothing was sold, and no other day that is up to date', () => {
    const states = [
      { date: '2026-03-05', version: 4, builtVersion: 4 },
      { date: '2026-03-09', version: 0 },
    ];

    expect(scheduledDays(today, states)).toEqual(['2026-03-09']);
  });

  it('builds again every day of the window that late events made stale, oldest first', () => {
    const states = [
      { date: '2026-03-03', version: 5, builtVersion: 4 },
      { date: '2026-03-07', version: 9, builtVersion: 9 },
      { date: '2026-03-08', version: 3, builtVersion: 1 },
    ];

    expect(scheduledDays(today, states)).toEqual(['2026-03-03', '2026-03-08', '2026-03-09']);
  });

  it('builds a day of the window that has figures but was never built (its night went wrong)', () => {
    expect(scheduledDays(today, [{ date: '2026-03-06', version: 2 }])).toEqual(['2026-03-06', '2026-03-09']);
  });

  it('leaves a stale day older than the window alone', () => {
    expect(scheduledDays(today, [{ date: '2026-03-02', version: 5, builtVersion: 4 }])).toEqual(['2026-03-09']);
  });

  it('calls a day stale only once it was built and changed after', () => {
    expect([
      isStale({ date: 'd', version: 3 }),
      isStale({ date: 'd', version: 3, builtVersion: 3 }),
      isStale({ date: 'd', version: 4, builtVersion: 3 }),
    ]).toEqual([false, false, true]);
  });
});

describe('a day report', () => {
  const rows = [
    { currency: 'USD', orders: 1, units: 1, revenue: 900 },
    { currency: 'EUR', sku: 'B', orders: 1, units: 1, revenue: 550, refunds: 1, refundedUnits: 1, refundedAmount: 550 },
    { currency: 'EUR', orders: 2, units: 3, revenue: 2550, refunds: 1, refundedUnits: 1, refundedAmount: 550 },
    { currency: 'EUR', sku: 'A', orders: 1, units: 2, revenue: 2000 },
    { currency: 'USD', sku: 'A', orders: 1, units: 1, revenue: 900 },
  ];
  const report = dailyReport('2026-03-01', rows, '2026-03-02T00:15:03.000Z');

  it('sums up each currency with its net revenue, and lists SKU rows by currency and SKU', () => {
    expect(report.currencies).toEqual([
      { currency: 'EUR', orders: 2, units: 3, revenue: 2550, refunds: 1, refundedUnits: 1, refundedAmount: 550, netRevenue: 2000 },
      { currency: 'USD', orders: 1, units: 1, revenue: 900, refunds: 0, refundedUnits: 0, refundedAmount: 0, netRevenue: 900 },
    ]);
    expect(report.skus.map((row) => `${row.currency} ${row.sku}`)).toEqual(['EUR A', 'EUR B', 'USD A']);
  });

  it('adds up totals kept over several rows (the shards of a busy day)', () => {
    const shards = [
      { currency: 'EUR', orders: 2, units: 3, revenue: 2000 },
      { currency: 'EUR', orders: 1, units: 1, revenue: 550, refunds: 1, refundedUnits: 1, refundedAmount: 550 },
    ];

    expect(dailyReport('2026-03-01', shards, '2026-03-02T00:15:03.000Z').currencies).toEqual([
      { currency: 'EUR', orders: 3, units: 4, revenue: 2550, refunds: 1, refundedUnits: 1, refundedAmount: 550, netRevenue: 2000 },
    ]);
  });

  it('writes the SKU rows as CSV with a header, amounts in minor units', () => {
    expect(reportCsv(report).split('\r\n')).toEqual([
      'date,currency,sku,orders,units,revenue_minor,refunds,refunded_units,refunded_amount_minor,net_revenue_minor',
      '2026-03-01,EUR,A,1,2,2000,0,0,0,2000',
      '2026-03-01,EUR,B,1,1,550,1,1,550,0',
      '2026-03-01,USD,A,1,1,900,0,0,0,900',
      '',
    ]);
  });

  it('writes a day without sales as a header alone', () => {
    expect(reportCsv(dailyReport('2026-03-01', [], '2026-03-02T00:15:03.000Z')).split('\r\n')).toHaveLength(2);
  });
});
