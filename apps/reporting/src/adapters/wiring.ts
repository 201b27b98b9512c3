import { createDocumentClient } from '@storefront/dynamodb';
import { requiredEnv } from '@storefront/lambda-runtime';
import { OrderRecordsService } from '../domain/order-records-service';
import { DynamoDbOrderRecordsRepository } from './dynamodb-order-records-repository';

/** The service as the handlers use it: one client per sandbox, created at cold start. */
export function createOrderRecordsService(): OrderRecordsService {
  const repository = new DynamoDbOrderRecordsRepository(createDocumentClient(), requiredEnv('ORDER_RECORDS_TABLE'));
  return new OrderRecordsService({ repository });
}
