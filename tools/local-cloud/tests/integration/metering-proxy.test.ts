import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION, emptyDynamoDbLocal, type DynamoDbLocal } from '@storefront/testing';
import { type MeteringProxy, startMeteringProxy } from '../../src/metering/metering-proxy.ts';
import { UsageMeter } from '../../src/metering/usage-meter.ts';

// A function's DynamoDB client goes through the proxy, as in a metered stack; the meter counts what DynamoDB Local answered.
let dynamo: DynamoDbLocal;
let proxy: MeteringProxy;
let client: DynamoDBClient;
const meter = new UsageMeter();
const TABLE = 'metered';
const kib = (n: number) => 'x'.repeat(n * 1024 - 64);

beforeAll(async () => {
  dynamo = await emptyDynamoDbLocal();
  proxy = await startMeteringProxy({ target: dynamo.endpoint, observe: (exchange) => meter.dynamodb(exchange), askConsumedCapacity: true });
  client = new DynamoDBClient({ endpoint: proxy.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: 'GSI1', KeySchema: [{ AttributeName: 'GSI1PK', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      ],
    }),
  );
});

afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await dynamo?.stop();
});

beforeEach(() => meter.reset());

const units = () => meter.snapshot().dynamodb[TABLE];

describe('the metering proxy in front of DynamoDB Local', () => {
  it('counts a 3 KiB write as 3 write units and hands the caller no capacity it did not ask for', async () => {
    const answer = await client.send(new PutItemCommand({ TableName: TABLE, Item: { PK: { S: 'three' }, data: { S: kib(3) } } }));

    expect(units()).toMatchObject({ writeUnits: 3, readUnits: 0, requests: 1 });
    expect(answer.ConsumedCapacity).toBeUndefined();
  });

  it('counts a 4 KiB read as 1 read unit strongly consistent and half a unit eventually consistent', async () => {
    await dynamo.client.send(new PutItemCommand({ TableName: TABLE, Item: { PK: { S: 'four' }, data: { S: kib(4) } } }));

    await client.send(new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'four' } }, ConsistentRead: true }));
    await client.send(new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'four' } } }));

    expect(units()).toMatchObject({ readUnits: 1.5, requests: 2 });
  });

  it('bills each item of a transaction at twice the standard write units', async () => {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { PK: { S: 'tx-1' }, data: { S: kib(2) } } } },
          { Put: { TableName: TABLE, Item: { PK: { S: 'tx-2' } } } },
        ],
      }),
    );

    expect(units()).toMatchObject({ writeUnits: 2 * (2 + 1), requests: 1 });
  });

  it('bills three small items of a transaction at two units each, where DynamoDB Local answers 2 in all', async () => {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: ['s-1', 's-2', 's-3'].map((PK) => ({ Put: { TableName: TABLE, Item: { PK: { S: PK } } } })),
      }),
    );

    expect(units()?.writeUnits).toBe(6);
  });

  it('bills an update in a transaction by the larger of the item before and after it', async () => {
    await dynamo.client.send(new PutItemCommand({ TableName: TABLE, Item: { PK: { S: 'grows' } } }));

    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: TABLE,
              Key: { PK: { S: 'grows' } },
              UpdateExpression: 'SET body = :body',
              ExpressionAttributeValues: { ':body': { S: kib(3) } },
            },
          },
        ],
      }),
    );

    expect(units()?.writeUnits).toBe(2 * 3);
  });

  it('counts a write that also updates an index with the index write', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { PK: { S: 'indexed' }, GSI1PK: { S: 'a' } } }));

    expect(units()?.writeUnits).toBe(2);
  });

  it('counts a write whose condition failed as one unit, though DynamoDB answers none', async () => {
    await dynamo.client.send(new PutItemCommand({ TableName: TABLE, Item: { PK: { S: 'taken' } } }));

    await expect(
      client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { PK: { S: 'taken' } },
          UpdateExpression: 'SET n = :n',
          ConditionExpression: 'attribute_not_exists(PK)',
          ExpressionAttributeValues: { ':n': { N: '1' } },
        }),
      ),
    ).rejects.toThrow('The conditional request failed');

    expect(units()).toMatchObject({ writeUnits: 1, failedConditionalWrites: 1 });
  });
});
