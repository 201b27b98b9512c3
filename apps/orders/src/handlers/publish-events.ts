import { OrderEvent } from '@storefront/contracts';
import { outboxRelay } from '@storefront/outbox';

/** Publishes every order event the orders table's outbox gains to the orders topic. */
export const handler = outboxRelay({ schema: OrderEvent, topicArn: process.env.ORDERS_TOPIC_ARN });
