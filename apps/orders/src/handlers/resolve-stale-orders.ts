import { countMetric, logger, scheduleHandler } from '@storefront/lambda-runtime';
import { createOrdersService, timeoutsFromEnvironment } from '../adapters/wiring';
import { WAITING_STATUSES, waitingStatuses } from '../domain/waiting-orders';

const orders = createOrdersService({ timeouts: timeoutsFromEnvironment() });

/**
 * Every five minutes: resolves the orders that waited too long in a waiting
 * status (PENDING past PENDING_TIMEOUT_SECONDS becomes REJECTED with
 * RESERVATION_TIMEOUT, RESERVED past RESERVED_TIMEOUT_SECONDS becomes REJECTED
 * with PAYMENT_TIMEOUT, and OrderRejected tells inventory and payments to let
 * go), counts them per status (StalePendingOrders, StaleReservedOrders: each
 * drives an alarm) and names them in the log, so someone can look for the
 * stuck message in a dead-letter queue.
 */
export const handler = scheduleHandler(async ({ correlationId }) => {
  const outcomes = await orders.resolveOverdueOrders({ correlationId });
  for (const { orderId, status, outcome } of outcomes)
    if (outcome === 'resolved') logger.warn('order waited too long and was resolved', { orderId, status });
  for (const status of waitingStatuses())
    countMetric(WAITING_STATUSES[status].metric, outcomes.filter((o) => o.status === status && o.outcome === 'resolved').length);
  const ids = (outcome: 'resolved' | 'moved-on') => outcomes.filter((o) => o.outcome === outcome).map((o) => o.orderId);
  // The correlation id is the one the OrderRejected events carry: follow them with it.
  return { correlationId, resolved: ids('resolved'), movedOn: ids('moved-on') };
});
