import { HttpRoutes } from '@storefront/contracts';
import { countMetric, httpHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

export const handler = httpHandler(HttpRoutes.cancelOrder, async ({ path, correlationId }) => {
  const order = await orders.cancel(path.orderId, { correlationId });
  countMetric('OrderCancelled');
  return { statusCode: 200, body: order };
});
