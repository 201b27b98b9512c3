import { getPaymentRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createPaymentsService } from '../adapters/wiring';

const payments = createPaymentsService();

export const handler = httpHandler(getPaymentRoute, async ({ path, caller }) => ({
  statusCode: 200,
  body: await payments.get(caller, path.orderId),
}));
