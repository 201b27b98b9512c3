import { getOrderRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

export const handler = httpHandler(getOrderRoute, async ({ path, caller }) => ({
  statusCode: 200,
  body: await orders.read(caller, path.orderId),
}));
