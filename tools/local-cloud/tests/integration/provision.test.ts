import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { emptyDynamoDbLocal, type DynamoDbLocal } from '@storefront/testing';
import { type AwsClients, provisionResources } from '../../src/stack/provision.ts';
import type { DescribedService } from '../../src/common/types.ts';

let dynamo: DynamoDbLocal;

beforeAll(async () => {
  dynamo = await emptyDynamoDbLocal();
});

afterAll(async () => {
  await dynamo?.stop();
});

const table = (name: string, indexes: string[] = []) => ({
  logicalId: 'Table',
  type: 'AWS::DynamoDB::Table',
  name,
  properties: {
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }, ...indexes.map((i) => ({ AttributeName: i, AttributeType: 'S' }))],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    ...(indexes.length
      ? {
          GlobalSecondaryIndexes: indexes.map((i) => ({
            IndexName: i,
            KeySchema: [{ AttributeName: i, KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
  },
});
const described = (resource: ReturnType<typeof table>) =>
  [{ service: { name: 'svc' }, template: { resources: [resource] } }] as unknown as DescribedService[];
/** Tables are all this suite provisions: the other clients are never called. */
const dynamoOnly = () => ({ dynamodb: dynamo.client }) as unknown as AwsClients;

describe('creating local tables from templates', () => {
  it('creates a table with its stream, and keeps it and its data on the next start', async () => {
    const lines: string[] = [];
    await provisionResources(dynamoOnly(), described(table('kept')), { log: (l: string) => lines.push(l) });
    await dynamo.client.send(new PutItemCommand({ TableName: 'kept', Item: { PK: { S: 'a' } } }));

    await provisionResources(dynamoOnly(), described(table('kept')), { log: (l: string) => lines.push(l) });

    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: 'kept' }));
    expect(Table?.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect((await dynamo.client.send(new GetItemCommand({ TableName: 'kept', Key: { PK: { S: 'a' } } }))).Item).toBeDefined();
    expect(lines).toEqual([]);
  });

  it('recreates a table whose indexes changed in the template, and says so', async () => {
    const lines: string[] = [];
    await provisionResources(dynamoOnly(), described(table('changed')), { log: (l: string) => lines.push(l) });

    await provisionResources(dynamoOnly(), described(table('changed', ['GSI1'])), { log: (l: string) => lines.push(l) });

    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: 'changed' }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['GSI1']);
    expect(lines).toEqual([expect.stringContaining('table changed changed its keys, indexes or stream: recreating it')]);
  });
});
