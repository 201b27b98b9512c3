import { SNSClient } from '@aws-sdk/client-sns';
import { OrderEvent, parseWith } from '@storefront/contracts';
import { newImageOf } from '@storefront/dynamodb';
import { dynamoStreamHandler, logger } from '@storefront/lambda-runtime';
import { SnsEventPublisher } from '../adapters/sns-event-publisher';
import { OUTBOX_ENTITY } from '../adapters/table-layout';
import { requiredEnv } from '../adapters/wiring';

const publisher = new SnsEventPublisher(new SNSClient({}), requiredEnv('ORDERS_TOPIC_ARN'));

/**
 * The outbox relay: every event record the orders table gains is published to
 * the orders topic. A throw reports the record as failed, so the stream
 * retries it (and, after the retries, sends it to the on-failure queue).
 */
export const handler = dynamoStreamHandler(async (record) => {
  if (record.eventName !== 'INSERT') return;
  const item = newImageOf(record);
  if (item?.entityType !== OUTBOX_ENTITY) return;
  const parsed = parseWith(OrderEvent, item.event);
  if (!parsed.success) {
    // An event that breaks its own contract must not reach consumers: fail it to the on-failure queue.
    throw new Error(`Outbox record ${String(item.SK)} breaks the event contract: ${JSON.stringify(parsed.issues)}`);
  }
  await publisher.publish(parsed.data);
  logger.info('event published', { eventType: parsed.data.type, eventId: parsed.data.id, orderId: parsed.data.data.orderId, correlationId: parsed.data.correlationId });
});
