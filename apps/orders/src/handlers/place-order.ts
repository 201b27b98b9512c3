import { placeOrderRoute } from '@storefront/contracts';
import { countMetric, httpHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

export const handler = httpHandler(placeOrderRoute, async ({ body, headers, correlationId, caller }) => {
  const idempotencyKey = headers['idempotency-key'];
  const { order, replayed } = await orders.place(caller, body, { correlationId, ...(idempotencyKey ? { idempotencyKey } : {}) });
  if (!replayed) countMetric('OrderPlaced');
  return { statusCode: 201, body: order, headers: { location: `/orders/${order.orderId}` } };
});
