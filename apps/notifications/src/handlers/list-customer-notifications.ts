import { listCustomerNotificationsRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createNotificationsService } from '../adapters/wiring';

const notifications = createNotificationsService();

export const handler = httpHandler(listCustomerNotificationsRoute, async ({ path, query, caller }) => ({
  statusCode: 200,
  body: await notifications.listByCustomer(caller, path.customerId, {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  }),
}));
