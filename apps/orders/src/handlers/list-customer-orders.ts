import { listCustomerOrdersRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

export const handler = httpHandler(listCustomerOrdersRoute, async ({ path, query, caller }) => ({
  statusCode: 200,
  body: await orders.listByCustomer(caller, path.customerId, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
}));
