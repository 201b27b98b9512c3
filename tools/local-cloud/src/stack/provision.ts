/**
 * Creates, on the local emulators, every table, topic, queue, subscription and
 * bucket the services' packaged templates declare. Safe to run on every start:
 * what exists is kept (and updated), what is new is created.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type TableDescription,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ResolvedResource } from '#packaging';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../common/aws-local.ts';
import type { DescribedService, Log } from '../common/types.ts';

/** The clients of the local emulators, one per AWS service the stack provisions. */
export interface AwsClients {
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  sqs: SQSClient;
  s3: S3Client;
}

type Outcome = 'kept' | 'created';

const QUEUE_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
];
const SUBSCRIPTION_ATTRIBUTES = ['FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy'];

export function awsClients({ dynamoEndpoint, messagingEndpoint }: { dynamoEndpoint: string; messagingEndpoint: string }): AwsClients {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  return {
    dynamodb: new DynamoDBClient({ ...common, endpoint: dynamoEndpoint }),
    sns: new SNSClient({ ...common, endpoint: messagingEndpoint }),
    sqs: new SQSClient({ ...common, endpoint: messagingEndpoint }),
    s3: new S3Client({ ...common, endpoint: messagingEndpoint, forcePathStyle: true }),
  };
}

const asString = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

async function provisionTable(dynamodb: DynamoDBClient, { name, properties: p }: ResolvedResource, log: Log): Promise<Outcome> {
  const wanted: CreateTableCommandInput = {
    TableName: name,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    ...(p.GlobalSecondaryIndexes
      ? {
          GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map(
            ({ ProvisionedThroughput: _omit, ...index }: Record<string, unknown>) => index,
          ),
        }
      : {}),
    ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
    ...(p.StreamSpecification
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } }
      : {}),
  };
  const existing = await dynamodb.send(new DescribeTableCommand({ TableName: name })).then(
    (r) => r.Table,
    () => undefined,
  );
  if (existing) {
    const shape = (table: Pick<TableDescription, 'KeySchema' | 'GlobalSecondaryIndexes' | 'StreamSpecification'>) =>
      JSON.stringify([
        table.KeySchema,
        (table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.KeySchema]).sort(),
        Boolean(table.StreamSpecification?.StreamEnabled),
      ]);
    if (shape(existing) === shape(wanted)) return 'kept';
    log(`    table ${name} changed its keys, indexes or stream: recreating it (its local data is dropped)`);
    await dynamodb.send(new DeleteTableCommand({ TableName: name }));
    await waitUntilTableNotExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: name });
  }
  await dynamodb.send(new CreateTableCommand(wanted));
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: name });
  if (p.TimeToLiveSpecification?.Enabled) {
    await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: p.TimeToLiveSpecification }));
  }
  return 'created';
}

async function provisionQueue(
  sqs: SQSClient,
  { name, properties: p }: ResolvedResource,
  { maxVisibilityTimeout }: { maxVisibilityTimeout: number | undefined },
): Promise<Outcome> {
  const attributes: Record<string, string> = {};
  for (const key of QUEUE_ATTRIBUTES) if (p[key] !== undefined) attributes[key] = String(p[key]);
  if (maxVisibilityTimeout !== undefined)
    attributes.VisibilityTimeout = String(Math.min(Number(attributes.VisibilityTimeout ?? 30), maxVisibilityTimeout));
  if (p.RedrivePolicy) attributes.RedrivePolicy = asString(p.RedrivePolicy);
  const existing = await sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
    (r) => r.QueueUrl,
    () => undefined,
  );
  if (existing) {
    if (Object.keys(attributes).length) await sqs.send(new SetQueueAttributesCommand({ QueueUrl: existing, Attributes: attributes }));
    return 'kept';
  }
  await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return 'created';
}

async function provisionSubscription(sns: SNSClient, { properties: p }: ResolvedResource): Promise<Outcome> {
  const attributes: Record<string, string> = {};
  for (const key of SUBSCRIPTION_ATTRIBUTES) if (p[key] !== undefined) attributes[key] = asString(p[key]);
  const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: p.TopicArn }));
  const existing = Subscriptions.find((s) => s.Protocol === p.Protocol && s.Endpoint === p.Endpoint);
  if (existing) {
    for (const [AttributeName, AttributeValue] of Object.entries(attributes)) {
      await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: existing.SubscriptionArn, AttributeName, AttributeValue }));
    }
    return 'kept';
  }
  await sns.send(
    new SubscribeCommand({
      TopicArn: p.TopicArn,
      Protocol: p.Protocol,
      Endpoint: p.Endpoint,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return 'created';
}

/**
 * `described` is one describeTemplate() result per service. Queues without a
 * redrive policy (dead-letter queues) are created before the queues that use them.
 */
export async function provisionResources(
  clients: AwsClients,
  described: Pick<DescribedService, 'service' | 'template'>[],
  { log = () => undefined, maxVisibilityTimeout }: { log?: Log; maxVisibilityTimeout?: number | undefined } = {},
): Promise<Record<string, number>> {
  const all = described.flatMap(({ service, template }) => template.resources.map((resource) => ({ ...resource, service })));
  const ofType = (type: string) => all.filter((resource) => resource.type === type);
  const counts: Record<string, number> = {};
  const count = (kind: string, outcome: Outcome | boolean) => (counts[kind] = (counts[kind] ?? 0) + (outcome ? 1 : 0));

  for (const table of ofType('AWS::DynamoDB::Table')) count('tables', await provisionTable(clients.dynamodb, table, log));
  for (const topic of ofType('AWS::SNS::Topic')) {
    const attributes: Record<string, string> = topic.properties.FifoTopic ? { FifoTopic: 'true' } : {};
    await clients.sns.send(new CreateTopicCommand({ Name: topic.name, Attributes: attributes }));
    count('topics', true);
  }
  const queues = ofType('AWS::SQS::Queue').sort(
    (a, b) => Number(Boolean(a.properties.RedrivePolicy)) - Number(Boolean(b.properties.RedrivePolicy)),
  );
  for (const queue of queues) count('queues', await provisionQueue(clients.sqs, queue, { maxVisibilityTimeout }));
  for (const subscription of ofType('AWS::SNS::Subscription')) {
    if (subscription.properties.Protocol !== 'sqs') {
      log(
        `    subscription ${subscription.logicalId} (${subscription.service}) uses protocol ${subscription.properties.Protocol}: only sqs is delivered locally`,
      );
      continue;
    }
    count('subscriptions', await provisionSubscription(clients.sns, subscription));
  }
  // The framework's own artifact bucket is a deployment detail, not part of the system.
  for (const bucket of ofType('AWS::S3::Bucket').filter((b) => b.logicalId !== 'ServerlessDeploymentBucket')) {
    const exists = await clients.s3.send(new HeadBucketCommand({ Bucket: bucket.name })).then(
      () => true,
      () => false,
    );
    if (!exists) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
    count('buckets', true);
  }
  return counts;
}
