import type { OrderEvent } from '@storefront/contracts';
import type { PageListing } from '@storefront/dynamodb';
import type { Order } from '../domain/order';
import type { WaitingStatus } from '../domain/waiting-orders';

/** The key of every item kind in the orders table; the access patterns are listed in resources/orders.yml. */
export const keys = {
  order: (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'ORDER' }),
  outboxEvent: (orderId: string, event: OrderEvent) => ({ PK: `ORDER#${orderId}`, SK: `EVENT#${event.occurredAt}#${event.id}` }),
  idempotency: (key: string) => ({ PK: `IDEMPOTENCY#${key}`, SK: 'IDEMPOTENCY' }),
  customerOrders: (customerId: string) => `CUSTOMER#${customerId}`,
  customerOrderIndex: (order: Order) => ({ GSI1PK: `CUSTOMER#${order.customerId}`, GSI1SK: `${order.createdAt}#${order.orderId}` }),
  /**
   * Sparse: only an order in a waiting status (PENDING …) carries it, keyed by
   * the status and the time it entered it (its updatedAt then), so the index
   * holds exactly the orders still waiting for another service, oldest first.
   */
  waitingIndex: (status: WaitingStatus, order: Order) => ({ GSI2PK: status, GSI2SK: `${order.updatedAt}#${order.orderId}` }),
};

/** The listings served a page at a time; each page cursor is valid only for the listing that issued it. */
export const listings = {
  customerOrders: (table: string, customerId: string): PageListing => ({
    table,
    key: ['PK', 'SK'],
    index: { name: 'GSI1', key: ['GSI1PK', 'GSI1SK'] },
    partition: keys.customerOrders(customerId),
  }),
};
