import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { EVENT_TYPE_ATTRIBUTE } from '@storefront/contracts';
import type { OutboxEvent } from './outbox-record';

/** Publishes an event envelope as JSON, with its type and correlation id as message attributes subscriptions can filter on. */
export class SnsEventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: OutboxEvent): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: {
          [EVENT_TYPE_ATTRIBUTE]: { DataType: 'String', StringValue: event.type },
          correlationId: { DataType: 'String', StringValue: event.correlationId },
        },
      }),
    );
  }
}
