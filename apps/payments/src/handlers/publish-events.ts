import { PaymentEvent } from '@storefront/contracts';
import { outboxRelay } from '@storefront/outbox';

/** Publishes every payment event the payments table's outbox gains to the payments topic. */
export const handler = outboxRelay({ schema: PaymentEvent, topicArn: process.env.PAYMENTS_TOPIC_ARN });
