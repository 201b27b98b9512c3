import { eventsOf } from '@storefront/contracts';
import { countMetric, logger, sqsEventHandler } from '@storefront/lambda-runtime';
import { createNotificationsService } from '../adapters/wiring';
import { consumes } from './notify-customers.consumes';

const notifications = createNotificationsService();

const LOG_MESSAGE_BY_OUTCOME = {
  notified: 'customer notified',
  duplicate: 'duplicate event ignored',
} as const;

/**
 * Tells customers about their orders. Each message is handled on its own: an
 * unreadable one, or one of a type it does not consume, fails alone and ends
 * in the dead-letter queue; a redelivered one is a no-op, because the
 * notification is keyed by the event id.
 */
export const handler = sqsEventHandler(eventsOf(consumes), async (event) => {
  const outcome = await notifications.notify(event);
  if (outcome === 'notified') countMetric('CustomerNotified');
  logger.info(LOG_MESSAGE_BY_OUTCOME[outcome], { eventType: event.type, eventId: event.id, orderId: event.data.orderId });
});
