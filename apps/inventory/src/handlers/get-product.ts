import { getProductRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';

const inventory = createInventoryService();

export const handler = httpHandler(getProductRoute, async ({ path }) => ({
  statusCode: 200,
  body: await inventory.getProduct(path.sku),
}));
