/**
 * What a metered run costs at list prices: the counts of the local cloud's usage meter, divided by the orders placed,
 * times the dated price table in prices.json. Pure: no stack, no clock, no network.
 */
import type { Usage } from '#local-cloud';

export interface PriceLine {
  usd: number;
  per: number;
  unit: string;
  source: string;
}

export type PriceName =
  | 'lambdaRequests'
  | 'lambdaGbSecondsArm64'
  | 'lambdaGbSecondsX86'
  | 'dynamodbWriteRequestUnits'
  | 'dynamodbReadRequestUnits'
  | 'snsPublishes'
  | 'sqsRequests'
  | 'stepFunctionsTransitions'
  | 's3Tier1Requests'
  | 's3Tier2Requests'
  | 'httpApiRequests'
  | 'secretsManagerApiCalls'
  | 'cloudwatchLogsIngestedGb';

export interface PriceTable {
  region: string;
  asOf: string;
  lines: Record<PriceName, PriceLine>;
}

/** How a function is configured in its packaged template: what Lambda bills its duration by. */
export interface FunctionConfig {
  memoryMB: number;
  architecture: 'arm64' | 'x86_64';
}

export interface CostLine {
  line: string;
  /** What one order uses of it, in words (`1 invocation, 38 ms`). */
  perOrder: string;
  usdPerMillionOrders: number;
}

export const MILLION = 1_000_000;
/** Lambda's GB is 1024 MB; CloudWatch Logs' GB is 2^30 bytes. */
const MB_PER_GB = 1024;
const BYTES_PER_GB = 1024 ** 3;

const usdEach = ({ usd, per }: PriceLine): number => usd / per;

/** Billed milliseconds at a memory size, in GB-seconds. */
export const gbSeconds = (billedMs: number, memoryMB: number): number => (billedMs / 1000) * (memoryMB / MB_PER_GB);

const amount = (value: number, digits = 2): string => (Number.isInteger(value) ? String(value) : value.toFixed(digits));
const shortName = (functionName: string): string => functionName.replace(/^storefront-([^-]+)-[^-]+-/, '$1/');

export interface Priced {
  lines: CostLine[];
  usdPerMillionOrders: number;
}

/** The run's usage per order, priced per million orders: one line per function, table and service, largest first. */
export function priceUsage(
  usage: Usage,
  { orders, prices, functions }: { orders: number; prices: PriceTable; functions: Record<string, FunctionConfig> },
): Priced {
  if (!(orders > 0)) throw new Error('a run must place at least one order to price it');
  const perMillion = (count: number, price: PriceLine) => (count / orders) * usdEach(price) * MILLION;
  const lines: CostLine[] = [];
  const add = (line: string, perOrder: string, usdPerMillionOrders: number) => {
    if (usdPerMillionOrders > 0) lines.push({ line, perOrder, usdPerMillionOrders });
  };
  /** A line of one meter: its count per order in `unit`s, at one price. */
  const meter = (line: string, count: number, unit: string, price: PriceLine) =>
    add(line, `${amount(count / orders)} ${unit}`, perMillion(count, price));
  const p = prices.lines;

  for (const [name, { invocations, billedMs }] of Object.entries(usage.lambda)) {
    const config = functions[name];
    if (!config) throw new Error(`no memory size known for function ${name}`);
    const gbPrice = config.architecture === 'arm64' ? p.lambdaGbSecondsArm64 : p.lambdaGbSecondsX86;
    add(
      `Lambda ${shortName(name)} (${config.memoryMB} MB, ${config.architecture})`,
      `${amount(invocations / orders)} invocations, ${amount(billedMs / orders, 1)} ms`,
      perMillion(invocations, p.lambdaRequests) + perMillion(gbSeconds(billedMs, config.memoryMB), gbPrice),
    );
  }
  for (const [table, { writeUnits, readUnits }] of Object.entries(usage.dynamodb)) {
    const name = table.replace(/^storefront-/, '');
    meter(`DynamoDB ${name} writes`, writeUnits, 'WRU', p.dynamodbWriteRequestUnits);
    meter(`DynamoDB ${name} reads`, readUnits, 'RRU', p.dynamodbReadRequestUnits);
  }
  meter('SNS publishes', usage.sns.billedRequests, 'requests', p.snsPublishes);
  meter('SQS requests', usage.sqs.billedRequests, 'requests', p.sqsRequests);
  meter('Step Functions state transitions', usage.stepFunctions.transitions, 'transitions', p.stepFunctionsTransitions);
  meter('HTTP API requests', usage.httpApi.requests, 'requests', p.httpApiRequests);
  meter('S3 PUT/LIST requests', usage.s3.tier1Requests, 'requests', p.s3Tier1Requests);
  meter('S3 GET requests', usage.s3.tier2Requests, 'requests', p.s3Tier2Requests);
  meter('Secrets Manager API calls', usage.secretsManager.requests, 'calls', p.secretsManagerApiCalls);
  add(
    'CloudWatch Logs ingestion (INFO and above)',
    `${amount(usage.logs.bytes / orders, 0)} bytes`,
    perMillion(usage.logs.bytes / BYTES_PER_GB, p.cloudwatchLogsIngestedGb),
  );

  lines.sort((a, b) => b.usdPerMillionOrders - a.usdPerMillionOrders);
  return { lines, usdPerMillionOrders: lines.reduce((sum, line) => sum + line.usdPerMillionOrders, 0) };
}
