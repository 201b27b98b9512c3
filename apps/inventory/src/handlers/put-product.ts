import { putProductRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';

const inventory = createInventoryService();

export const handler = httpHandler(putProductRoute, async ({ path, body }) => ({
  statusCode: 200,
  body: await inventory.putProduct(path.sku, body),
}));
