import { join } from 'node:path';
import { createDocumentClient } from '@storefront/dynamodb';
import { createTableFromResource, startDynamoDbLocal, type DynamoDbLocal } from '@storefront/testing';
import { DynamoDbOrderRecordsRepository } from '../../src/adapters/dynamodb-order-records-repository';

let dynamo: DynamoDbLocal;
let repository: DynamoDbOrderRecordsRepository;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  await createTableFromResource(
    dynamo.client,
    join(import.meta.dirname, '../../resources/reporting.yml'),
    'OrderRecordsTable',
    'reporting-it',
  );
  repository = new DynamoDbOrderRecordsRepository(createDocumentClient(dynamo.client), 'reporting-it');
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('DynamoDbOrderRecordsRepository on DynamoDB Local', () => {
  it('stores a record once and reads it back', async () => {
    const record = { orderId: 'o-1', customerId: 'c-1', units: 3, placedAt: '2026-03-01T10:00:00.000Z' };

    const first = await repository.saveOnce(record);
    const again = await repository.saveOnce({ ...record, units: 99 });

    expect([first, again]).toEqual([true, false]);
    expect(await repository.find('o-1')).toEqual(record);
  });

  it('finds nothing for an order it never stored', async () => {
    expect(await repository.find('o-unknown')).toBeUndefined();
  });
});
