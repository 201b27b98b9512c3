import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { EVENT_TYPE_ATTRIBUTE, type OrderEvent } from '@storefront/contracts';

export interface EventPublisher {
  publish(event: OrderEvent): Promise<void>;
}

/** Publishes an event envelope as JSON, with its type as a message attribute that subscriptions filter on. */
export class SnsEventPublisher implements EventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: OrderEvent): Promise<void> {
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
