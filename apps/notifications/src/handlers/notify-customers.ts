import { OrderEvent } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createNotificationsRepository } from '../adapters/wiring';
import { isCustomerFacing, notificationFor } from '../domain/notification';

const notifications = createNotificationsRepository();

/**
 * Tells customers about their orders. Each message is handled on its own: an
 * unreadable one fails alone and ends in the dead-letter queue; a redelivered
 * one is a no-op, because the notification is keyed by the event id.
 */
export const handler = sqsEventHandler(OrderEvent, async (event) => {
  if (!isCustomerFacing(event)) {
    logger.info('event not for customers, acknowledged', { eventType: event.type, eventId: event.id });
    return;
  }
  const created = await notifications.saveOnce(notificationFor(event));
  if (created) countMetric('CustomerNotified');
  logger.info(created ? 'customer notified' : 'duplicate event ignored', {
    eventType: event.type,
    eventId: event.id,
    orderId: event.data.orderId,
  });
});
