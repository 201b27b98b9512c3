import { adjustStockRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';

const inventory = createInventoryService();

export const handler = httpHandler(adjustStockRoute, async ({ path, body }) => ({
  statusCode: 200,
  body: await inventory.adjustStock(path.sku, body.delta, body.reason),
}));
