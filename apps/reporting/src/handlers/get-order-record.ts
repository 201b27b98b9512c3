import { HttpRoutes } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createOrderRecordsService } from '../adapters/wiring';

const orderRecords = createOrderRecordsService();

export const handler = httpHandler(HttpRoutes.getReportingOrderRecord, async ({ path }) => ({
  statusCode: 200,
  body: await orderRecords.get(path.orderId),
}));
