import { HttpRoutes } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createPaymentsService } from '../adapters/wiring';

const payments = createPaymentsService();

export const handler = httpHandler(HttpRoutes.getPayment, async ({ path, caller }) => ({
  statusCode: 200,
  body: await payments.get(caller, path.orderId),
}));
