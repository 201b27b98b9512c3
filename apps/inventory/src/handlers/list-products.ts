import { listProductsRoute } from '@storefront/contracts';
import { httpHandler } from '@storefront/lambda-runtime';
import { createInventoryService } from '../adapters/wiring';

const inventory = createInventoryService();

export const handler = httpHandler(listProductsRoute, async ({ query }) => ({
  statusCode: 200,
  body: await inventory.listProducts({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
}));
