/**
 * What starts each function, read from its service's packaged template, and a
 * realistic first event for it: the cold-start bench invokes every function
 * once with one. Each run gets ids of its own, so a run repeats the first
 * call's work (a write is a new write) rather than finding the last run's.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceResource } from '#local-cloud';

export type Trigger =
  | { kind: 'http'; routeKey: string; scopes: string[] }
  | { kind: 'sqs'; eventTypes: string[] }
  | { kind: 'stream' }
  | { kind: 's3'; bucket: string; prefix: string; suffix: string }
  | { kind: 'schedule' }
  | { kind: 'workflow task'; state: string };

const functionArnEnds = (value: unknown, functionName: string) => typeof value === 'string' && value.endsWith(`:function:${functionName}`);

/** The trigger of a function (the first, when it has several), from every resource of its service. */
export function triggerOf(functionName: string, resources: ServiceResource[]): Trigger | undefined {
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const integration = ofType('AWS::ApiGatewayV2::Integration').find((i) => functionArnEnds(i.properties.IntegrationUri, functionName));
  const route = integration && ofType('AWS::ApiGatewayV2::Route').find((r) => String(r.properties.Target).endsWith(`/${integration.name}`));
  if (route) return { kind: 'http', routeKey: route.properties.RouteKey, scopes: route.properties.AuthorizationScopes ?? [] };

  const mapping = ofType('AWS::Lambda::EventSourceMapping').find((m) => functionArnEnds(m.properties.FunctionName, functionName));
  const source = String(mapping?.properties.EventSourceArn ?? '');
  if (source.startsWith('arn:aws:dynamodb:')) return { kind: 'stream' };
  if (source.startsWith('arn:aws:sqs:')) {
    const subscription = ofType('AWS::SNS::Subscription').find((s) => s.properties.Endpoint === source);
    const policy = subscription?.properties.FilterPolicy;
    const eventTypes = (typeof policy === 'string' ? JSON.parse(policy) : policy)?.eventType ?? [];
    return { kind: 'sqs', eventTypes };
  }

  for (const bucket of ofType('AWS::S3::Bucket')) {
    const notification = (bucket.properties.NotificationConfiguration?.LambdaConfigurations ?? []).find((c: { Function?: unknown }) =>
      functionArnEnds(c.Function, functionName),
    );
    if (!notification) continue;
    const rules: { Name: string; Value: string }[] = notification.Filter?.S3Key?.Rules ?? [];
    const rule = (name: string) => rules.find((r) => r.Name.toLowerCase() === name)?.Value ?? '';
    return { kind: 's3', bucket: bucket.name, prefix: rule('prefix'), suffix: rule('suffix') };
  }

  const scheduled =
    ofType('AWS::Events::Rule').some((r) =>
      (r.properties.Targets ?? []).some((t: { Arn?: unknown }) => functionArnEnds(t.Arn, functionName)),
    ) || ofType('AWS::Scheduler::Schedule').some((s) => functionArnEnds(s.properties.Target?.Arn, functionName));
  if (scheduled) return { kind: 'schedule' };

  for (const machine of ofType('AWS::StepFunctions::StateMachine')) {
    const definition = machine.properties.DefinitionString;
    const states = allStates((typeof definition === 'string' ? JSON.parse(definition) : definition)?.States ?? {});
    const state = states.find(
      ([, s]) => functionArnEnds(s.Resource, functionName) || functionArnEnds(s.Parameters?.FunctionName, functionName),
    );
    if (state) return { kind: 'workflow task', state: state[0] };
  }
  return undefined;
}

interface State {
  Resource?: unknown;
  Parameters?: { FunctionName?: unknown };
  ItemProcessor?: { States?: Record<string, State> };
  Iterator?: { States?: Record<string, State> };
  Branches?: { States?: Record<string, State> }[];
}

/** Every state of a definition, with those inside Map and Parallel states. */
function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...[state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].flatMap((inner) => (inner?.States ? allStates(inner.States) : [])),
  ]);
}

/** A run's own ids: one order, one customer, one request. */
export interface RunIds {
  orderId: string;
  customerId: string;
  requestId: string;
  correlationId: string;
}

export const runIds = (): RunIds => {
  const id = randomUUID();
  return { orderId: `bench-order-${id}`, customerId: `bench-customer-${id}`, requestId: id, correlationId: `bench-${id}` };
};

const NOW = () => new Date().toISOString();

/**
 * A day of its own for each run, so a run builds a report rather than finding the last run's: in 2001 to last year,
 * since a day after today is refused (400) before any work.
 */
function reportDate({ requestId }: RunIds): string {
  const n = Number.parseInt(requestId.replaceAll('-', '').slice(0, 8), 16);
  const years = new Date().getUTCFullYear() - 2001;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${2001 + (n % years)}-${pad(1 + (Math.floor(n / years) % 12))}-${pad(1 + (Math.floor(n / (years * 12)) % 28))}`;
}

/** What writeDailyReport answers for a day of one order. */
function writtenReport(ids: RunIds) {
  const date = reportDate(ids);
  const figures = { orders: 1, units: 2, revenue: 2500, refunds: 0, refundedUnits: 0, refundedAmount: 0, netRevenue: 2500 };
  return {
    builtAt: NOW(),
    bucket: 'storefront-reporting-local-reports',
    files: { json: `reports/daily/${date}.json`, csv: `reports/daily/${date}.csv` },
    currencies: [{ currency: 'EUR', ...figures }],
    skuRows: 1,
  };
}
const lines = [{ sku: 'BENCH-COLD-1', quantity: 2 }];
const pricedLines = [{ sku: 'BENCH-COLD-1', quantity: 2, unitPrice: 1250, currency: 'EUR' }];

/** Each event type's data for a run, valid against its contract. */
const EVENT_DATA: Record<string, { source: string; version: number; data: (ids: RunIds) => object }> = {
  OrderPlaced: {
    source: 'orders',
    version: 1,
    data: (ids) => ({ orderId: ids.orderId, customerId: ids.customerId, currency: 'EUR', lines }),
  },
  OrderReserved: {
    source: 'orders',
    version: 1,
    data: (ids) => ({
      orderId: ids.orderId,
      customerId: ids.customerId,
      amount: 2500,
      currency: 'EUR',
      paymentMethod: 'pm_card_visa',
      lines,
    }),
  },
  OrderCancelled: {
    source: 'orders',
    version: 1,
    data: (ids) => ({ orderId: ids.orderId, customerId: ids.customerId, previousStatus: 'PENDING', lines }),
  },
  OrderRejected: {
    source: 'orders',
    version: 1,
    data: (ids) => ({ orderId: ids.orderId, customerId: ids.customerId, previousStatus: 'PENDING', reason: 'RESERVATION_TIMEOUT' }),
  },
  OrderConfirmed: {
    source: 'orders',
    version: 1,
    data: (ids) => ({
      orderId: ids.orderId,
      customerId: ids.customerId,
      amount: 2500,
      currency: 'EUR',
      lines: pricedLines,
      providerReference: `pi_${ids.requestId}`,
    }),
  },
  StockReserved: { source: 'inventory', version: 2, data: (ids) => ({ orderId: ids.orderId, lines: pricedLines }) },
  StockRejected: {
    source: 'inventory',
    version: 1,
    data: (ids) => ({ orderId: ids.orderId, reasons: [{ sku: 'BENCH-COLD-1', reason: 'UNKNOWN_SKU', requested: 2 }] }),
  },
  StockReleased: { source: 'inventory', version: 1, data: (ids) => ({ orderId: ids.orderId, lines }) },
  PaymentCaptured: {
    source: 'payments',
    version: 1,
    data: (ids) => ({ orderId: ids.orderId, amount: 2500, currency: 'EUR', providerReference: `pi_${ids.requestId}` }),
  },
  PaymentFailed: {
    source: 'payments',
    version: 1,
    data: (ids) => ({ orderId: ids.orderId, amount: 2500, currency: 'EUR', reason: 'DECLINED', detail: 'card_declined' }),
  },
  PaymentRefunded: {
    source: 'payments',
    version: 1,
    data: (ids) => ({
      orderId: ids.orderId,
      amount: 2500,
      currency: 'EUR',
      providerReference: `pi_${ids.requestId}`,
      refundReference: `re_${ids.requestId}`,
    }),
  },
  DailyReportReady: { source: 'reporting', version: 1, data: (ids) => ({ date: reportDate(ids), ...writtenReport(ids) }) },
};

function domainEvent(type: string, ids: RunIds) {
  const spec = EVENT_DATA[type];
  if (!spec) throw new Error(`no sample of ${type} for the cold-start bench: add one to EVENT_DATA`);
  return {
    id: randomUUID(),
    type,
    version: spec.version,
    occurredAt: NOW(),
    source: `storefront.${spec.source}`,
    correlationId: ids.correlationId,
    data: spec.data(ids),
  };
}

/** The first event type a service publishes (its outbox relay's usual work). */
const firstEventOf = (service: string) => Object.entries(EVENT_DATA).find(([, spec]) => spec.source === service)?.[0] as string;

/** Bodies of the routes that take one, by route key. */
const BODIES: Record<string, (ids: RunIds) => unknown> = {
  'POST /orders': (ids) => ({ customerId: ids.customerId, currency: 'EUR', paymentMethod: 'pm_card_visa', lines }),
  'PUT /products/{sku}': () => ({ name: 'Cold start', price: 1250, currency: 'EUR', stock: 10 }),
  'POST /products/{sku}/stock-adjustments': () => ({ delta: 1, reason: 'cold-start bench' }),
};

/** The claims API Gateway's JWT authorizer hands over for the route's scopes: an admin for admin routes, else a customer. */
function authorizer(scopes: string[], ids: RunIds) {
  if (scopes.length === 0) return {};
  const admin = scopes.some((scope) => scope.endsWith('/admin'));
  const granted = admin ? ['storefront/shop', 'storefront/admin'] : ['storefront/shop'];
  const sub = admin ? 'bench-admin' : ids.customerId;
  const claims = {
    sub,
    username: sub,
    'cognito:groups': admin ? '[admins]' : '[customers]',
    scope: granted.join(' '),
    token_use: 'access',
  };
  return { authorizer: { jwt: { claims, scopes: granted } } };
}

function httpEvent(routeKey: string, scopes: string[], ids: RunIds) {
  const [method, template] = routeKey.split(' ') as [string, string];
  const pathParameters: Record<string, string> = {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    pathParameters[name] =
      name === 'customerId' ? ids.customerId : name === 'sku' ? 'BENCH-COLD-1' : name === 'date' ? reportDate(ids) : ids.orderId;
    return pathParameters[name] as string;
  });
  const body = BODIES[routeKey]?.(ids);
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: 'bench.local',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      'x-correlation-id': ids.correlationId,
    },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'cold-start-bench' },
      requestId: ids.requestId,
      routeKey,
      stage: '$default',
      time: NOW(),
      timeEpoch: Date.now(),
      ...authorizer(scopes, ids),
    },
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

const sqsRecord = (event: { type: string }, ids: RunIds) => ({
  messageId: ids.requestId,
  receiptHandle: `receipt-${ids.requestId}`,
  body: JSON.stringify(event),
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: '000000000000' },
  messageAttributes: { eventType: { dataType: 'String', stringValue: event.type } },
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench',
  awsRegion: 'us-east-1',
});

/** DynamoDB's wire format for a plain JSON value. */
function attributeValue(value: unknown): object {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(attributeValue) };
  if (value && typeof value === 'object')
    return { M: Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, attributeValue(inner)])) };
  return { NULL: true };
}

function outboxStreamRecord(service: string, ids: RunIds) {
  const event = domainEvent(firstEventOf(service), ids);
  const key = { PK: `BENCH#${ids.orderId}`, SK: `OUTBOX#${event.id}` };
  const item = { ...key, entityType: 'OUTBOX_EVENT', event, expiresAt: Math.floor(Date.now() / 1000) + 3600 };
  return {
    eventID: ids.requestId,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/bench/stream/bench',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: (attributeValue(key) as { M: object }).M,
      NewImage: (attributeValue(item) as { M: object }).M,
      SequenceNumber: String(Date.now()),
      SizeBytes: 512,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** Each workflow task's input, by the state that runs it: the documents of libs/contracts' checkout-workflow. */
const TASK_INPUTS: Record<string, (ids: RunIds) => object> = {
  PlanReports: (ids) => ({
    requested: { trigger: 'request', date: reportDate(ids), correlationId: ids.correlationId },
    startedAt: NOW(),
    correlationId: ids.correlationId,
  }),
  WriteReport: (ids) => ({ date: reportDate(ids), build: `bench-${ids.requestId}`, correlationId: ids.correlationId }),
  RecordReport: (ids) => ({
    date: reportDate(ids),
    build: `bench-${ids.requestId}`,
    correlationId: ids.correlationId,
    written: { outcome: 'written', version: 1, ...writtenReport(ids) },
  }),
  ReleaseBuild: (ids) => ({ date: reportDate(ids), build: `bench-${ids.requestId}`, correlationId: ids.correlationId }),
  ChargePayment: (ids) => ({ orderId: ids.orderId, correlationId: ids.correlationId }),
  ReconcileCharge: (ids) => ({ orderId: ids.orderId, correlationId: ids.correlationId, error: 'ProviderTimeoutError' }),
  RecordPaymentOutcome: (ids) => ({
    orderId: ids.orderId,
    correlationId: ids.correlationId,
    charge: { outcome: 'captured', providerReference: `pi_${ids.requestId}` },
  }),
};

/** The key of the catalogue file the bench uploads for S3-triggered functions. */
export const s3ObjectKey = (trigger: Extract<Trigger, { kind: 's3' }>) => `${trigger.prefix}bench-cold-start${trigger.suffix || '.csv'}`;

/** A realistic first event for a function with this trigger, owned by `service`. */
export function firstEvent(trigger: Trigger, service: string, ids: RunIds): unknown {
  switch (trigger.kind) {
    case 'http':
      return httpEvent(trigger.routeKey, trigger.scopes, ids);
    case 'sqs':
      return { Records: [sqsRecord(domainEvent(trigger.eventTypes[0] ?? 'OrderPlaced', ids), ids)] };
    case 'stream':
      return { Records: [outboxStreamRecord(service, ids)] };
    case 's3':
      return {
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            awsRegion: 'us-east-1',
            eventTime: NOW(),
            eventName: 'ObjectCreated:Put',
            s3: {
              s3SchemaVersion: '1.0',
              bucket: { name: trigger.bucket, arn: `arn:aws:s3:::${trigger.bucket}` },
              object: { key: s3ObjectKey(trigger), size: 128 },
            },
          },
        ],
      };
    case 'schedule':
      return {
        version: '0',
        id: ids.requestId,
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: NOW(),
        region: 'us-east-1',
        resources: [],
        detail: {},
      };
    case 'workflow task': {
      const input = TASK_INPUTS[trigger.state];
      if (!input) throw new Error(`no input for the workflow state ${trigger.state} in the cold-start bench: add one to TASK_INPUTS`);
      return input(ids);
    }
  }
}
