/**
 * What the local stack does on AWS's meters while it runs: Lambda invocations and billed milliseconds per function,
 * DynamoDB request units per table (as AWS bills them), SNS, SQS, S3 and Secrets Manager requests, Step Functions
 * state transitions, HTTP API requests and the bytes functions log at the production log level. `npm run cost`
 * boots the stack with one, drives orders and prices what it counted (tools/cost). Nothing here knows a price.
 */

/** Everything counted since the meter was started or last reset. */
export interface Usage {
  lambda: Record<string, { invocations: number; billedMs: number; reportedInvocations: number }>;
  /** Invocations the schedules started: fixed work of the clock, not of the orders. */
  scheduledInvocations: Record<string, number>;
  dynamodb: Record<
    string,
    { readUnits: number; writeUnits: number; requests: number; failedConditionalWrites: number; byOperation: Record<string, number> }
  >;
  sns: { requests: number; billedRequests: number };
  sqs: { requests: number; billedRequests: number; emptyReceives: number; byAction: Record<string, number> };
  s3: { tier1Requests: number; tier2Requests: number };
  secretsManager: { requests: number };
  stepFunctions: { transitions: number };
  httpApi: { requests: number };
  /** Bytes of function log lines at INFO and above (production logs INFO; the local stage logs DEBUG). */
  logs: { bytes: number; lines: number };
}

export type InvocationSource = 'http' | 'event-source' | 'step-functions' | 'schedule' | 's3';

/** SNS and SQS bill each 64 KiB chunk of a request's payload as one request. */
export const PAYLOAD_CHUNK_BYTES = 64 * 1024;
export const billedChunks = (payloadBytes: number): number => Math.max(1, Math.ceil(payloadBytes / PAYLOAD_CHUNK_BYTES));

const DYNAMODB_READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const DYNAMODB_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/** Operations whose request may ask for ConsumedCapacity. */
export const DYNAMODB_METERED = new Set([...DYNAMODB_READS, ...DYNAMODB_WRITES]);

const S3_TIER1_METHODS = new Set(['PUT', 'POST']);
const LOG_LEVELS_KEPT = new Set(['INFO', 'WARN', 'WARNING', 'ERROR', 'CRITICAL']);
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const DURATION_REPORT = /\(λ: ([^)]+)\) RequestId: \S+\s+Duration: [\d.]+ ms\s+Billed Duration: (\d+) ms/;

interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
}

type AttributeValue = Record<string, unknown>;

/** An attribute value's size as DynamoDB counts it for capacity (numbers approximated by their digits). */
function valueBytes(value: AttributeValue): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(inner));
    case 'N':
      return Math.ceil(String(inner).replace(/[^0-9]/g, '').length / 2) + 1;
    case 'B':
      return Buffer.from(String(inner), 'base64').length;
    case 'SS':
    case 'NS':
    case 'BS':
      return (inner as string[]).reduce((sum, element) => sum + valueBytes({ [type.slice(0, 1)]: element }), 0);
    case 'L':
      return 3 + (inner as AttributeValue[]).reduce((sum, element) => sum + 1 + valueBytes(element), 0);
    case 'M':
      return (
        3 +
        Object.entries(inner as Record<string, AttributeValue>).reduce((sum, [n, v]) => sum + 1 + Buffer.byteLength(n) + valueBytes(v), 0)
      );
    default:
      return 1;
  }
}

/** An item's size as DynamoDB counts it: names and values. */
export function itemBytes(item: Record<string, AttributeValue> | undefined): number {
  return Object.entries(item ?? {}).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

/** A write's units: one per KiB of the larger of the item before and after it, at least one; twice that in a transaction. */
export const writeUnits = (bytes: number, { transactional }: { transactional: boolean }): number =>
  Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);

/** What one item of a TransactWriteItems weighed, before and after it (the proxy reads both). */
export interface TransactionItemSize {
  table: string;
  bytes: number;
}

/** The units of the indexes of one ConsumedCapacity entry (its total less the table's own). */
const indexUnits = ({ CapacityUnits = 0, Table }: ConsumedCapacity): number => (Table ? CapacityUnits - (Table.CapacityUnits ?? 0) : 0);

/** The AWS service a signed request is for, from its SigV4 credential scope (`…/us-east-1/sqs/aws4_request`). */
export function signedService(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '')?.[1];
}

/** The action of an AWS JSON (`X-Amz-Target: AmazonSQS.SendMessage`) or query (`Action=Publish&…`) request. */
export function awsAction(target: string | undefined, body: string): string | undefined {
  if (target) return target.split('.').at(-1);
  return new URLSearchParams(body).get('Action') ?? undefined;
}

/** A request the metering proxy saw, and the emulator's answer. */
export interface ObservedExchange {
  /**
   * Of a TransactWriteItems: each item's size (the larger of before and after). DynamoDB Local's own figure for a
   * transaction is not AWS's (three small items come out as 2 units, AWS bills 6), so the table's units come from these.
   */
  transactionItems?: TransactionItemSize[] | undefined;
  method: string;
  /** The request's path and query. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  requestBody: string;
  status: number;
  responseBody: string;
}

const header = (headers: ObservedExchange['headers'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export class UsageMeter {
  #usage: Usage = UsageMeter.empty();
  #functionOf: (service: string, functionKey: string) => string = (service, key) => `${service}/${key}`;
  lastActivity = Date.now();

  /** How to name the function behind a service's `serverless.yml` key, which offline's duration reports give. */
  nameFunctionsWith(functionOf: (service: string, functionKey: string) => string): void {
    this.#functionOf = functionOf;
  }

  static empty(): Usage {
    return {
      lambda: {},
      scheduledInvocations: {},
      dynamodb: {},
      sns: { requests: 0, billedRequests: 0 },
      sqs: { requests: 0, billedRequests: 0, emptyReceives: 0, byAction: {} },
      s3: { tier1Requests: 0, tier2Requests: 0 },
      secretsManager: { requests: 0 },
      stepFunctions: { transitions: 0 },
      httpApi: { requests: 0 },
      logs: { bytes: 0, lines: 0 },
    };
  }

  /** What was counted so far (a copy). */
  snapshot(): Usage {
    return structuredClone(this.#usage);
  }

  reset(): void {
    this.#usage = UsageMeter.empty();
  }

  #lambda(functionName: string) {
    return (this.#usage.lambda[functionName] ??= { invocations: 0, billedMs: 0, reportedInvocations: 0 });
  }

  invoked(functionName: string, source: InvocationSource): void {
    this.lastActivity = Date.now();
    if (source === 'schedule') this.#usage.scheduledInvocations[functionName] = (this.#usage.scheduledInvocations[functionName] ?? 0) + 1;
    else this.#lambda(functionName).invocations += 1;
    if (source === 'http') this.#usage.httpApi.requests += 1;
  }

  stateEntered(): void {
    this.lastActivity = Date.now();
    this.#usage.stepFunctions.transitions += 1;
  }

  /**
   * A line of a service's serverless-offline: its duration report after each invocation that returned
   * (`(λ: placeOrder) RequestId: … Duration: 12.34 ms  Billed Duration: 13 ms`), or a function's JSON log line.
   */
  serviceLine(service: string, raw: string): void {
    const line = raw.replace(ANSI, '');
    const report = DURATION_REPORT.exec(line);
    if (report) {
      const fn = this.#lambda(this.#functionOf(service, report[1] as string));
      fn.billedMs += Number(report[2]);
      fn.reportedInvocations += 1;
      return;
    }
    if (!line.startsWith('{')) return;
    let level: unknown;
    try {
      level = (JSON.parse(line) as { level?: unknown }).level;
    } catch {
      return;
    }
    if (typeof level === 'string' && LOG_LEVELS_KEPT.has(level.toUpperCase())) {
      this.#usage.logs.bytes += Buffer.byteLength(line) + 1;
      this.#usage.logs.lines += 1;
    }
  }

  /**
   * A DynamoDB request and its answer. Units are the ConsumedCapacity DynamoDB answered (the proxy asks for it),
   * except a transaction's writes to its tables: two units per KiB of each item, from the sizes the proxy read. A
   * write whose condition failed returns no capacity; AWS bills it at least one unit per item (two in a transaction).
   */
  dynamodb({ headers, requestBody, status, responseBody, transactionItems }: ObservedExchange): void {
    const operation = awsAction(header(headers, 'x-amz-target'), '');
    if (!operation || !DYNAMODB_METERED.has(operation)) return;
    this.lastActivity = Date.now();
    const request = parseJson(requestBody) as { TableName?: string; TransactItems?: object[] } | undefined;
    const transactional = operation === 'TransactWriteItems';
    if (status >= 400) {
      if (!DYNAMODB_WRITES.has(operation) || !/ConditionalCheckFailed|TransactionCanceled/.test(responseBody)) return;
      const items = request?.TransactItems ?? [request];
      for (const item of items) {
        const table = tableOf(item) ?? 'unknown';
        const counted = this.#table(table);
        counted.requests += item === items[0] ? 1 : 0;
        counted.writeUnits += transactional ? 2 : 1;
        counted.byOperation[operation] = (counted.byOperation[operation] ?? 0) + (transactional ? 2 : 1);
        counted.failedConditionalWrites += 1;
      }
      return;
    }
    const answer = parseJson(responseBody) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] } | undefined;
    const consumed = [answer?.ConsumedCapacity ?? []].flat();
    const tables = new Set<string>();
    const add = (name: string, units: number) => {
      const counted = this.#table(name);
      if (DYNAMODB_READS.has(operation)) counted.readUnits += units;
      else counted.writeUnits += units;
      counted.byOperation[operation] = (counted.byOperation[operation] ?? 0) + units;
      tables.add(name);
    };
    if (transactional && transactionItems) {
      for (const item of transactionItems) add(item.table, writeUnits(item.bytes, { transactional: true }));
      // Index updates as DynamoDB Local reports them for a transaction (it doubles them too).
      for (const capacity of consumed) add(capacity.TableName ?? 'unknown', indexUnits(capacity));
    } else for (const capacity of consumed) add(capacity.TableName ?? request?.TableName ?? 'unknown', capacity.CapacityUnits ?? 0);
    // One request, counted on the first table it touched.
    const [first = request?.TableName ?? 'unknown'] = tables;
    this.#table(first).requests += 1;
  }

  #table(name: string) {
    return (this.#usage.dynamodb[name] ??= { readUnits: 0, writeUnits: 0, requests: 0, failedConditionalWrites: 0, byOperation: {} });
  }

  /** A request to the SNS/SQS/S3 emulator (functions' and the SQS pollers'), by the service its signature names. */
  messaging(exchange: ObservedExchange): void {
    const { method, path, headers, requestBody, responseBody } = exchange;
    const service = signedService(header(headers, 'authorization'));
    if (service === 'sns') {
      this.lastActivity = Date.now();
      this.#usage.sns.requests += 1;
      this.#usage.sns.billedRequests += billedChunks(Buffer.byteLength(requestBody));
    } else if (service === 'sqs') {
      const action = awsAction(header(headers, 'x-amz-target'), requestBody) ?? 'unknown';
      // Lambda long-polls a queue whether or not orders come: empty receives are a fixed cost, not an order's.
      if (action === 'ReceiveMessage' && !/"MessageId"|<MessageId>/.test(responseBody)) {
        this.#usage.sqs.emptyReceives += 1;
        return;
      }
      this.lastActivity = Date.now();
      this.#usage.sqs.requests += 1;
      this.#usage.sqs.byAction[action] = (this.#usage.sqs.byAction[action] ?? 0) + 1;
      this.#usage.sqs.billedRequests += billedChunks(Math.max(Buffer.byteLength(requestBody), Buffer.byteLength(responseBody)));
    } else if (service === 's3') {
      this.lastActivity = Date.now();
      // PUT, COPY, POST and LIST are billed at one rate, GET and the rest at another; DELETE is free.
      const list = method === 'GET' && /[?&]list-type=|^\/[^/]+\/?(\?|$)/.test(path);
      if (S3_TIER1_METHODS.has(method) || list) this.#usage.s3.tier1Requests += 1;
      else if (method !== 'DELETE') this.#usage.s3.tier2Requests += 1;
    }
  }

  secretsManager(): void {
    this.lastActivity = Date.now();
    this.#usage.secretsManager.requests += 1;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The table a write or a transaction's item names. */
function tableOf(item: object | undefined): string | undefined {
  if (!item) return undefined;
  const direct = (item as { TableName?: string }).TableName;
  if (direct) return direct;
  const inner = Object.values(item).find((value) => value && typeof value === 'object' && 'TableName' in value) as
    { TableName?: string } | undefined;
  return inner?.TableName;
}
