import { OrderEvent, parseWith } from '@storefront/contracts';
import { logger, sqsBatchHandler } from '@storefront/lambda-runtime';
import { createNotificationsRepository } from '../adapters/wiring';
import { UnreadableEventError } from '../domain/errors';
import { notificationFor } from '../domain/notification';

const notifications = createNotificationsRepository();

/**
 * Consumes order events from the notifications queue. Each message is handled
 * on its own: an unreadable one fails alone and, after the queue's
 * maxReceiveCount, moves to the dead-letter queue; a redelivered one is a no-op.
 */
export const handler = sqsBatchHandler(async (record) => {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new UnreadableEventError(record.messageId, [{ path: 'body', message: 'must be JSON' }]);
  }
  const parsed = parseWith(OrderEvent, body);
  if (!parsed.success) throw new UnreadableEventError(record.messageId, parsed.issues);
  const event = parsed.data;
  logger.setCorrelationId(event.correlationId);
  const created = await notifications.saveOnce(notificationFor(event));
  logger.info(created ? 'customer notified' : 'duplicate event ignored', { eventType: event.type, eventId: event.id, orderId: event.data.orderId, correlationId: event.correlationId });
});
