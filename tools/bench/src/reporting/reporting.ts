/**
 * The reporting figure of `npm run bench`: 10,000 paid orders (OrderConfirmed, as orders publishes them) sent to
 * the orders topic of the running stack, through the real wiring (SNS → reporting's queue → countConfirmedOrders
 * → DynamoDB Local, each a transaction on the day's figures), then the day's report built through
 * POST /reports/daily/{date} and the workflow. Times both, and checks the report counts every order exactly once.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import type { RecordFigure } from '../figures.ts';
import type { ApiCall } from '#local-cloud';

const ORDERS = 10_000;
const SKUS = 40;
// Well past the budget: a slow run still ends with its figure (over budget) rather than without one.
const TIMEOUT_MS = 1_800_000;
const local = { region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A paid order of one to three SKUs, confirmed on `date`. */
function paidOrder(date: string, i: number) {
  const lines = Array.from({ length: 1 + (i % 3) }, (_, n) => ({
    sku: `BENCH-RPT-${String((i + n * 7) % SKUS).padStart(2, '0')}`,
    quantity: 1 + ((i + n) % 4),
    unitPrice: 500 + 25 * ((i + n * 7) % SKUS),
    currency: 'EUR',
  }));
  const data = {
    orderId: `bench-rpt-${i}`,
    customerId: 'bench-reporting',
    amount: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
    currency: 'EUR',
    lines,
    providerReference: `pi_bench_${i}`,
  };
  const at = new Date(Date.parse(`${date}T00:00:00.000Z`) + Math.floor((i / ORDERS) * 86_399_000)).toISOString();
  return {
    id: randomUUID(),
    type: 'OrderConfirmed',
    version: 1,
    occurredAt: at,
    source: 'storefront.orders',
    correlationId: `bench-rpt-${i}`,
    data,
  };
}

/** The day's change count: the sum of its shards. */
async function changesCounted(dynamodb: DynamoDBClient, date: string): Promise<number> {
  const { Items = [] } = await dynamodb.send(
    new QueryCommand({
      TableName: 'storefront-reporting-local-sales',
      KeyConditionExpression: 'PK = :day AND begins_with(SK, :version)',
      ExpressionAttributeValues: { ':day': { S: `DAY#${date}` }, ':version': { S: 'VERSION#' } },
      ConsistentRead: true,
    }),
  );
  return Items.reduce((sum, item) => sum + Number(item.version?.N ?? 0), 0);
}

export interface ReportingBenchOptions {
  basePort: number;
  record: RecordFigure;
  budgets: Record<string, number>;
}

export async function paidOrdersReport(api: ApiCall, { basePort, record, budgets }: ReportingBenchOptions): Promise<void> {
  // A day of its own, older than the nightly run's week, so nothing else touches it.
  const date = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
  const sns = new SNSClient({ ...local, endpoint: `http://127.0.0.1:${basePort + 2}` });
  const dynamodb = new DynamoDBClient({ ...local, endpoint: `http://127.0.0.1:${basePort + 1}` });
  const topicArn = 'arn:aws:sns:us-east-1:000000000000:storefront-local-orders';
  const orders = Array.from({ length: ORDERS }, (_, i) => paidOrder(date, i));
  const expected = orders.reduce(
    (sum, order) => ({ units: sum.units + order.data.lines.reduce((u, l) => u + l.quantity, 0), revenue: sum.revenue + order.data.amount }),
    { units: 0, revenue: 0 },
  );
  try {
    const started = performance.now();
    const batches = Array.from({ length: ORDERS / 10 }, (_, b) => orders.slice(b * 10, b * 10 + 10));
    for (let i = 0; i < batches.length; i += 20)
      await Promise.all(
        batches.slice(i, i + 20).map((batch) =>
          sns.send(
            new PublishBatchCommand({
              TopicArn: topicArn,
              PublishBatchRequestEntries: batch.map((event) => ({
                Id: event.id,
                Message: JSON.stringify(event),
                MessageAttributes: {
                  eventType: { DataType: 'String', StringValue: 'OrderConfirmed' },
                  correlationId: { DataType: 'String', StringValue: event.correlationId },
                },
              })),
            }),
          ),
        ),
      );
    // Every counted order adds one to its day's change count, in the same transaction as its figures; the count is
    // spread over shards (VERSION#<n>, see apps/reporting/src/adapters/table-layout.ts) and read as their sum.
    let reported = 0;
    for (;;) {
      const counted = await changesCounted(dynamodb, date);
      if (counted >= ORDERS) break;
      const seconds = (performance.now() - started) / 1000;
      // A long wait on a busy machine: say how it goes.
      if (seconds - reported >= 30) {
        reported = seconds;
        process.stderr.write(`reporting: ${counted} of ${ORDERS} paid orders counted after ${Math.round(seconds)} s\n`);
      }
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`${counted} of ${ORDERS} paid orders counted in time`);
      await sleep(500);
    }
    const aggregatedMs = performance.now() - started;
    record(`reporting: ${ORDERS} paid orders counted (topic → figures)`, aggregatedMs, budgets.reportingAggregate10kMs);
    record('reporting: paid orders counted per second', ORDERS / (aggregatedMs / 1000), undefined, '/s');

    const building = performance.now();
    const build = await api(`/reports/daily/${date}`, { method: 'POST', as: 'admin' });
    if (build.status !== 202) throw new Error(`POST /reports/daily/${date} answered ${build.status}`);
    let report: { currencies: { orders: number; units: number; revenue: number }[]; skuRows: number } | undefined;
    while (!report) {
      const got = await api(`/reports/daily/${date}`, { as: 'admin' });
      if (got.status === 200) report = (await got.json()) as typeof report;
      else await sleep(100);
      if (performance.now() - building > 120_000) throw new Error(`the report of ${date} was not built within 2 minutes`);
    }
    record(`reporting: the day's report built (${report?.skuRows} SKU rows)`, performance.now() - building, budgets.reportingBuild10kMs);
    const [euros] = report?.currencies ?? [];
    const mismatches = [
      euros?.orders === ORDERS ? 0 : 1,
      euros?.units === expected.units ? 0 : 1,
      euros?.revenue === expected.revenue ? 0 : 1,
      report?.skuRows === SKUS ? 0 : 1,
    ].reduce((a, b) => a + b, 0);
    record('reporting: report figures that differ from the orders sent', mismatches, budgets.reportingMismatches, '');
  } finally {
    sns.destroy();
    dynamodb.destroy();
  }
}
