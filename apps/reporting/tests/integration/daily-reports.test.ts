import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderConfirmedV1 } from '@storefront/contracts';
import { createDocumentClient } from '@storefront/dynamodb';
import { aPaymentRefunded, anOrderConfirmed, createTableFromResource, emptyDynamoDbLocal, type DynamoDbLocal } from '@storefront/testing';
import { DynamoDbReportsRepository } from '../../src/adapters/dynamodb-reports-repository';
import { DynamoDbSalesRepository } from '../../src/adapters/dynamodb-sales-repository';
import { dailyReport } from '../../src/domain/daily-report';
import { ReportsService } from '../../src/domain/reports-service';
import { SalesService } from '../../src/domain/sales-service';
import { InMemoryReportFiles } from '../support/in-memory-report-files';

let dynamo: DynamoDbLocal;
let tables = 0;

beforeAll(async () => {
  dynamo = await emptyDynamoDbLocal();
});

afterAll(async () => {
  await dynamo?.stop();
});

/** A fresh table with both services on it, at a clock the test moves. */
async function reporting() {
  const tableName = `reporting-it-${++tables}`;
  await createTableFromResource(dynamo.client, join(import.meta.dirname, '../../resources/reporting.yml'), 'ReportingTable', tableName);
  const client = createDocumentClient(dynamo.client);
  const clock = { now: new Date('2026-03-02T00:15:00.000Z') };
  const now = () => clock.now;
  const files = new InMemoryReportFiles();
  const started: string[] = [];
  let ids = 0;
  const reportsRepository = new DynamoDbReportsRepository(client, tableName);
  const reports = new ReportsService({
    repository: reportsRepository,
    files,
    links: files,
    workflow: { start: async (name) => void started.push(name) },
    now,
    newId: () => `id-${++ids}`,
  });
  const sales = new SalesService({ repository: new DynamoDbSalesRepository(client, tableName), now });
  const items = async () => (await client.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
  return { reports, sales, files, clock, started, items, reportsRepository };
}

const paid = (orderId: string, at: string, lines: OrderConfirmedV1['data']['lines']) =>
  anOrderConfirmed({
    occurredAt: at,
    data: { orderId, lines, amount: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) },
  });
const line = (sku: string, quantity: number, unitPrice = 1000) => ({ sku, quantity, unitPrice, currency: 'EUR' });

/** Runs one scheduled execution's days as the workflow does: plan, then write and record each. */
async function scheduledRun(reports: ReportsService, at: string, build = `schedule-${at}`) {
  const { dates } = await reports.plan({
    requested: { trigger: 'schedule', scheduledTime: at, correlationId: build },
    startedAt: at,
    correlationId: build,
  });
  for (const date of dates) {
    const written = await reports.write({ date, build, correlationId: build });
    if (written.outcome === 'written') await reports.record({ date, build, correlationId: build, written });
  }
  return dates;
}

describe('day figures on DynamoDB Local', () => {
  it('counts a paid order once, however often and however concurrently it is delivered', async () => {
    const { sales, reports } = await reporting();
    const event = paid('o-1', '2026-03-01T10:00:00.000Z', [line('A', 2)]);

    const outcomes = await Promise.all([
      sales.countConfirmedOrder(event),
      sales.countConfirmedOrder(event),
      sales.countConfirmedOrder({ ...event, id: 'again' }),
    ]);
    await sales.countConfirmedOrder(event);

    expect(outcomes.filter((o) => o === 'counted')).toHaveLength(1);
    await scheduledRun(reports, '2026-03-02T00:15:00.000Z');
    expect((await reports.get('2026-03-01')).currencies).toEqual([
      { currency: 'EUR', orders: 1, units: 2, revenue: 2000, refunds: 0, refundedUnits: 0, refundedAmount: 0, netRevenue: 2000 },
    ]);
  });

  it('adds up many orders of one day written at once, losing none to the races on the day totals', async () => {
    const { sales, reportsRepository } = await reporting();
    const orders = Array.from({ length: 25 }, (_, i) => paid(`o-${i}`, '2026-03-01T12:00:00.000Z', [line(i % 2 ? 'A' : 'B', 1 + (i % 3))]));

    await Promise.all(orders.map((order) => sales.countConfirmedOrder(order)));

    const { version, rows } = await reportsRepository.dayFigures('2026-03-01');
    expect(version).toBe(25);
    expect(dailyReport('2026-03-01', rows, '2026-03-02T00:15:00.000Z').currencies).toEqual([
      expect.objectContaining({ currency: 'EUR', orders: 25, units: 49, revenue: 49_000 }),
    ]);
  });

  it('counts a refund of a paid order on the day it was made, against the sale it gives back', async () => {
    const { sales, reports } = await reporting();
    await sales.countConfirmedOrder(paid('o-1', '2026-03-01T10:00:00.000Z', [line('A', 2), line('B', 1, 500)]));

    const outcome = await sales.countRefund(
      aPaymentRefunded({ occurredAt: '2026-03-01T11:00:00.000Z', data: { orderId: 'o-1', amount: 2500 } }),
    );
    await sales.countRefund(aPaymentRefunded({ occurredAt: '2026-03-01T11:00:00.000Z', data: { orderId: 'o-1', amount: 2500 } }));

    expect(outcome).toBe('counted');
    await scheduledRun(reports, '2026-03-02T00:15:00.000Z');
    const report = await reports.get('2026-03-01');
    expect(report.currencies[0]).toMatchObject({
      orders: 1,
      revenue: 2500,
      refunds: 1,
      refundedUnits: 3,
      refundedAmount: 2500,
      netRevenue: 0,
    });
  });

  it('leaves the figures alone for a refund of an order that was never paid', async () => {
    const { sales, reportsRepository } = await reporting();

    const outcome = await sales.countRefund(aPaymentRefunded({ occurredAt: '2026-03-01T11:00:00.000Z', data: { orderId: 'o-cancelled' } }));

    expect(outcome).toBe('held');
    expect(await reportsRepository.dayFigures('2026-03-01')).toEqual({ version: 0, rows: [] });
  });
});

describe('building daily reports on DynamoDB Local', () => {
  it("builds yesterday's report: the JSON and CSV files, the recorded summary, and DailyReportReady in the outbox", async () => {
    const { sales, reports, files, items } = await reporting();
    await sales.countConfirmedOrder(paid('o-1', '2026-03-01T09:00:00.000Z', [line('A', 2), line('B', 1, 550)]));
    await sales.countConfirmedOrder(paid('o-2', '2026-03-01T23:59:59.999Z', [line('A', 1)]));
    await sales.countConfirmedOrder(paid('o-3', '2026-03-02T00:00:00.000Z', [line('A', 5)]));

    const dates = await scheduledRun(reports, '2026-03-02T00:15:00.000Z');

    expect(dates).toEqual(['2026-03-01']);
    const report = await reports.get('2026-03-01');
    expect(report).toMatchObject({
      date: '2026-03-01',
      stale: false,
      skuRows: 2,
      files: { json: 'reports/daily/2026-03-01.json', csv: 'reports/daily/2026-03-01.csv' },
      currencies: [{ currency: 'EUR', orders: 2, units: 4, revenue: 3550 }],
      download: { csvUrl: expect.stringContaining('reports/daily/2026-03-01.csv'), expiresAt: '2026-03-02T00:30:00.000Z' },
    });
    expect(files.objects.get('reports/daily/2026-03-01.csv')?.body).toContain('2026-03-01,EUR,A,2,3,3000,0,0,0,3000');
    expect(JSON.parse(files.objects.get('reports/daily/2026-03-01.json')?.body ?? '{}').skus).toHaveLength(2);
    const outbox = (await items()).filter((item) => item.entityType === 'OUTBOX_EVENT').map((item) => item.event);
    expect(outbox).toEqual([
      expect.objectContaining({ type: 'DailyReportReady', data: expect.objectContaining({ date: '2026-03-01', skuRows: 2 }) }),
    ]);
  });

  it('marks a built day stale when a late event arrives for it, and the next run builds it again with that event', async () => {
    const { sales, reports, clock } = await reporting();
    await sales.countConfirmedOrder(paid('o-1', '2026-03-01T09:00:00.000Z', [line('A', 1)]));
    await scheduledRun(reports, '2026-03-02T00:15:00.000Z');

    // Confirmed just before midnight, but delivered after the night's report (a redriven dead letter, say).
    await sales.countConfirmedOrder(paid('o-late', '2026-03-01T23:59:00.000Z', [line('B', 3)]));
    const afterLateEvent = await reports.get('2026-03-01');
    clock.now = new Date('2026-03-03T00:15:00.000Z');
    const nextRun = await scheduledRun(reports, '2026-03-03T00:15:00.000Z');

    expect(afterLateEvent).toMatchObject({ stale: true, currencies: [{ orders: 1 }] });
    expect(nextRun).toEqual(['2026-03-01', '2026-03-02']);
    expect(await reports.get('2026-03-01')).toMatchObject({
      stale: false,
      builtAt: '2026-03-03T00:15:00.000Z',
      skuRows: 2,
      currencies: [{ orders: 2, units: 4 }],
    });
  });

  it('builds a day that had no sales too: an empty report every morning', async () => {
    const { reports } = await reporting();

    await scheduledRun(reports, '2026-03-02T00:15:00.000Z');

    expect(await reports.get('2026-03-01')).toMatchObject({ currencies: [], skuRows: 0, stale: false });
  });

  it('lets one build at a time have a day: a request while another builds it is refused, a run leaves it to the other', async () => {
    const { reports, started } = await reporting();

    const first = await reports.requestBuild('2026-03-01', 'corr-1');
    const second = await reports.requestBuild('2026-03-01', 'corr-2').catch((error: Error) => error);
    const scheduled = await reports.write({ date: '2026-03-01', build: 'schedule-1', correlationId: 'corr-3' });

    expect(first).toEqual({ date: '2026-03-01', status: 'BUILDING', build: 'daily-2026-03-01-id-1' });
    expect(second).toMatchObject({ name: 'ReportBuildInProgressError', kind: 'conflict' });
    expect(scheduled).toEqual({ outcome: 'busy' });
    expect(started).toEqual(['daily-2026-03-01-id-1']);
  });

  it('frees the day once the build recorded it, so the next request builds it again', async () => {
    const { reports } = await reporting();
    const { build } = await reports.requestBuild('2026-03-01', 'corr-1');
    const written = await reports.write({ date: '2026-03-01', build, correlationId: 'corr-1' });
    if (written.outcome !== 'written') throw new Error('the requested build did not get its day');

    await reports.record({ date: '2026-03-01', build, correlationId: 'corr-1', written });

    await expect(reports.requestBuild('2026-03-01', 'corr-2')).resolves.toMatchObject({ status: 'BUILDING' });
  });

  it('refuses to build a day that has not begun, and answers 404 for a day never built', async () => {
    const { reports } = await reporting();

    await expect(reports.requestBuild('2026-03-03', 'corr-1')).rejects.toMatchObject({ kind: 'invalid' });
    await expect(reports.get('2026-02-01')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('keeps the report of newer figures when an older build records after it', async () => {
    const { sales, reports } = await reporting();
    await sales.countConfirmedOrder(paid('o-1', '2026-03-01T09:00:00.000Z', [line('A', 1)]));
    const older = await reports.write({ date: '2026-03-01', build: 'b-1', correlationId: 'c' });
    await reports.release({ date: '2026-03-01', build: 'b-1', correlationId: 'c' });
    await sales.countConfirmedOrder(paid('o-2', '2026-03-01T10:00:00.000Z', [line('A', 1)]));
    const newer = await reports.write({ date: '2026-03-01', build: 'b-2', correlationId: 'c' });
    if (older.outcome !== 'written' || newer.outcome !== 'written') throw new Error('a build did not get its day');

    await reports.record({ date: '2026-03-01', build: 'b-2', correlationId: 'c', written: newer });
    const late = await reports.record({ date: '2026-03-01', build: 'b-1', correlationId: 'c', written: older });

    expect(late).toEqual({ date: '2026-03-01', recorded: false });
    expect((await reports.get('2026-03-01')).currencies[0]?.orders).toBe(2);
  });
});

describe('a refund heard of before the sale it gives back', () => {
  it('is held, then counted right after the sale, once, even when the sale is delivered again', async () => {
    const { sales, reportsRepository } = await reporting();
    const refund = aPaymentRefunded({ occurredAt: '2026-03-01T11:00:00.000Z', data: { orderId: 'o-early', amount: 2000 } });
    const sale = paid('o-early', '2026-03-01T10:00:00.000Z', [line('A', 2)]);

    const outcomes = [await sales.countRefund(refund), await sales.countConfirmedOrder(sale), await sales.countConfirmedOrder(sale)];

    expect(outcomes).toEqual(['held', 'counted', 'duplicate']);
    const { version, rows } = await reportsRepository.dayFigures('2026-03-01');
    expect(version).toBe(2);
    expect(dailyReport('2026-03-01', rows, '2026-03-02T00:15:00.000Z').currencies[0]).toMatchObject({
      orders: 1,
      revenue: 2000,
      refunds: 1,
      refundedAmount: 2000,
      netRevenue: 0,
    });
  });
});
