import { InventoryEvent } from '@storefront/contracts';
import { outboxRelay } from '@storefront/outbox';

/** Publishes every event the inventory table's outbox gains to the inventory topic. */
export const handler = outboxRelay({ schema: InventoryEvent, topicArn: process.env.INVENTORY_TOPIC_ARN });
