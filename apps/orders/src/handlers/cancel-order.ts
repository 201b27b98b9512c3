import { cancelOrderRoute } from '@storefront/contracts';
import { countMetric, httpHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

export const handler = httpHandler(cancelOrderRoute, async ({ path, correlationId, caller }) => {
  const order = await orders.cancel(caller, path.orderId, { correlationId });
  countMetric('OrderCancelled');
  return { statusCode: 200, body: order };
});
