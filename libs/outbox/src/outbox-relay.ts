import { SNSClient } from '@aws-sdk/client-sns';
import { parseWith, type Schema } from '@storefront/contracts';
import { newImageOf } from '@storefront/dynamodb';
import { dynamoStreamHandler, logger } from '@storefront/lambda-runtime';
import { OUTBOX_ENTITY, type OutboxEvent } from './outbox-record';
import { SnsEventPublisher } from './sns-event-publisher';

/**
 * The stream-triggered half of the transactional outbox: every outbox item a
 * table gains is checked against the service's event contract and published
 * to its topic. A throw reports the record as failed, so the stream retries
 * it (and after the retries, describes it on the on-failure destination).
 */
export function outboxRelay(options: { schema: Schema<OutboxEvent>; topicArn: string | undefined; publisher?: SnsEventPublisher }) {
  if (!options.topicArn) throw new Error('The outbox relay needs the topic ARN to publish to');
  const publisher = options.publisher ?? new SnsEventPublisher(new SNSClient({}), options.topicArn);
  return dynamoStreamHandler(async (record) => {
    if (record.eventName !== 'INSERT') return;
    const item = newImageOf(record);
    if (item?.entityType !== OUTBOX_ENTITY) return;
    const parsed = parseWith(options.schema, item.event);
    if (!parsed.success) {
      // An event that breaks its own contract must not reach consumers.
      throw new Error(`Outbox record ${String(item.SK)} breaks the event contract: ${JSON.stringify(parsed.issues)}`);
    }
    await publisher.publish(parsed.data);
    logger.info('event published', { eventType: parsed.data.type, eventId: parsed.data.id, correlationId: parsed.data.correlationId });
  });
}
