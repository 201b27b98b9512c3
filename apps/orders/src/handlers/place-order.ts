import { PlaceOrderRequest } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

export const handler = httpHandler({ body: PlaceOrderRequest }, async ({ body, headers, correlationId }) => {
  const idempotencyKey = headers['idempotency-key'];
  const { order } = await orders.place(body, { correlationId, ...(idempotencyKey ? { idempotencyKey } : {}) });
  return { statusCode: 201, body: order, headers: { location: `/orders/${order.orderId}` } };
});
