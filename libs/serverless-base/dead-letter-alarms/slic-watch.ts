/**
 * What serverless-slic-watch-plugin (loaded after this plugin, see the base config) must leave alone, told the way it
 * reads per-resource settings: `Metadata.slicWatch` on a resource, `slicWatch` on a function's configuration.
 *
 * - A queue that holds failures already has this plugin's alarm on its depth; slic-watch's alarms on its message age
 *   (and in-flight count) would ring a second time for the same message. Its dashboard widgets stay.
 * - An SQS consumer never reports `IteratorAge` (Lambda publishes it for streams only), so slic-watch's alarm on it
 *   could never fire: it stays on stream consumers, where a growing age means the consumer falls behind.
 *
 * And two fixes to what slic-watch 3.2.0 writes, which would otherwise watch metrics that never exist:
 * - DynamoDB's per-index metrics have the dimension `GlobalSecondaryIndexName`, not `GlobalSecondaryIndex`;
 * - DynamoDB publishes `SystemErrors` per table and operation only (no per-table total, which is why the CDK sums it
 *   over operations too), so the per-table alarm becomes metric math summing the operations our functions call.
 * Node runs it as it is (type stripping): only erasable syntax.
 */

export interface SlicWatchResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

type FunctionReference = { 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]]; Ref?: string } | string | undefined;

/** No slic-watch alarm on this resource; dashboard widgets stay. */
export const NO_ALARMS = { alarms: { enabled: false } };
/** A function's slic-watch settings with its iterator age alarm off. */
export const NO_ITERATOR_AGE_ALARM = { alarms: { Lambda: { IteratorAge: { enabled: false } } } };

/** The logical id of the function an event source mapping feeds (its ARN, or an alias of it). */
function mappedFunction(reference: FunctionReference): string | undefined {
  if (typeof reference !== 'object') return undefined;
  const joined = reference['Fn::Join']?.[1]?.[0] as FunctionReference;
  return reference['Fn::GetAtt']?.[0] ?? reference.Ref ?? (joined ? mappedFunction(joined) : undefined);
}

/** Whether an event source ARN names a queue: one of the template's, or an SQS ARN given as a param. */
function isQueue(source: unknown, resources: Record<string, SlicWatchResource>): boolean {
  if (typeof source === 'string') return source.startsWith('arn:') && source.split(':')[2] === 'sqs';
  const id = (source as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
  return id !== undefined && resources[id]?.Type === 'AWS::SQS::Queue';
}

/** Logical ids of the functions fed by a queue (and by nothing else), read from the compiled template. */
export function sqsConsumers(resources: Record<string, SlicWatchResource>): string[] {
  const sources = new Map<string, boolean[]>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const fnId = mappedFunction(resource.Properties?.FunctionName as FunctionReference);
    if (fnId) sources.set(fnId, [...(sources.get(fnId) ?? []), isQueue(resource.Properties?.EventSourceArn, resources)]);
  }
  return [...sources]
    .filter(([, queues]) => queues.every(Boolean))
    .map(([fnId]) => fnId)
    .sort();
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `base` with `extra` merged in, objects key by key (the later value wins elsewhere). */
export function mergeSettings(base: unknown, extra: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = isObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(extra)) merged[key] = isObject(value) ? mergeSettings(merged[key], value) : value;
  return merged;
}

/** Marks each failure queue so slic-watch adds no alarm of its own to it. Changes `resources` in place. */
export function leaveFailureQueuesAlone(resources: Record<string, SlicWatchResource>, failureQueues: string[]): void {
  for (const id of failureQueues) {
    const queue = resources[id];
    if (queue) queue.Metadata = { ...queue.Metadata, slicWatch: mergeSettings(queue.Metadata?.slicWatch, NO_ALARMS) };
  }
}

/**
 * The DynamoDB operations a table's `SystemErrors` alarm sums: every item, query, batch and transaction operation the
 * services' functions call (no Scan). 9 metrics and the expression: an alarm takes 10 at most.
 */
export const TABLE_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
];

/** slic-watch's per-table `SystemErrors` alarm, as metric math over the table's operations. Changes `resources` in place. */
export function sumSystemErrorsOverOperations(resources: Record<string, SlicWatchResource>): void {
  for (const resource of Object.values(resources)) {
    const properties = resource.Properties;
    if (resource.Type !== 'AWS::CloudWatch::Alarm' || properties?.Namespace !== 'AWS/DynamoDB' || properties.MetricName !== 'SystemErrors')
      continue;
    const { Namespace, MetricName, Dimensions, Statistic, Period, ...rest } = properties;
    const table = (Dimensions as { Name: string; Value: unknown }[]).filter((d) => d.Name === 'TableName');
    resource.Properties = {
      ...rest,
      Metrics: [
        {
          Id: 'errors',
          Expression: `SUM([${TABLE_OPERATIONS.map((_, i) => `m${i}`).join(',')}])`,
          Label: 'SystemErrors, all operations',
          ReturnData: true,
        },
        ...TABLE_OPERATIONS.map((operation, i) => ({
          Id: `m${i}`,
          MetricStat: {
            Metric: { Namespace, MetricName, Dimensions: [...table, { Name: 'Operation', Value: operation }] },
            Period,
            Stat: Statistic,
          },
          ReturnData: false,
        })),
      ],
    };
  }
}

/** Renames the wrong index dimension in slic-watch's alarms and dashboard. Changes `resources` in place. */
export function fixIndexDimension(resources: Record<string, SlicWatchResource>): void {
  for (const resource of Object.values(resources)) {
    if (resource.Type === 'AWS::CloudWatch::Alarm' && resource.Properties?.Namespace === 'AWS/DynamoDB') {
      const dimensions = resource.Properties.Dimensions as { Name: string; Value: unknown }[] | undefined;
      for (const dimension of dimensions ?? []) if (dimension.Name === 'GlobalSecondaryIndex') dimension.Name = 'GlobalSecondaryIndexName';
    }
    if (resource.Type === 'AWS::CloudWatch::Dashboard' && resource.Properties) {
      const body = JSON.stringify(resource.Properties.DashboardBody);
      resource.Properties.DashboardBody = JSON.parse(body.replaceAll('\\"GlobalSecondaryIndex\\"', '\\"GlobalSecondaryIndexName\\"'));
    }
  }
}
