import { countMetric, flushMetrics, logger } from '@storefront/lambda-runtime';
import type { Context } from 'aws-lambda';
import { createOrdersService } from '../adapters/wiring';

const orders = createOrdersService();

/**
 * Every five minutes: counts the orders that have waited too long for
 * inventory (the StalePendingOrders metric drives an alarm) and names them in
 * the log, so someone can look for their OrderPlaced in a dead-letter queue.
 */
export const handler = async (_event: unknown, context: Context): Promise<{ stale: number }> => {
  logger.addContext(context);
  const stale = await orders.stalePendingOrders();
  for (const order of stale)
    logger.warn('order still pending', { orderId: order.orderId, createdAt: order.createdAt, customerId: order.customerId });
  countMetric('StalePendingOrders', stale.length);
  flushMetrics();
  return { stale: stale.length };
};
