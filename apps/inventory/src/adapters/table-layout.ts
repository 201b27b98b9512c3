import type { InventoryEvent } from '@storefront/contracts';
import type { PageListing } from '@storefront/dynamodb';

/** The key of every item kind in the inventory table; access patterns are listed in resources/inventory.yml. */
export const keys = {
  product: (sku: string) => ({ PK: `PRODUCT#${sku}`, SK: 'PRODUCT' }),
  productListing: (sku: string) => ({ GSI1PK: 'PRODUCTS', GSI1SK: sku }),
  adjustment: (sku: string, at: string, id: string) => ({ PK: `PRODUCT#${sku}`, SK: `ADJUSTMENT#${at}#${id}` }),
  reservation: (orderId: string) => ({ PK: `RESERVATION#${orderId}`, SK: 'RESERVATION' }),
  outboxEvent: (orderId: string, event: InventoryEvent) => ({ PK: `RESERVATION#${orderId}`, SK: `EVENT#${event.occurredAt}#${event.id}` }),
};

/** The listings served a page at a time; each page cursor is valid only for the listing that issued it. */
export const listings = {
  products: (table: string): PageListing => ({
    table,
    key: ['PK', 'SK'],
    index: { name: 'GSI1', key: ['GSI1PK', 'GSI1SK'] },
    partition: keys.productListing('').GSI1PK,
  }),
};

/**
 * A reservation record's status: what inventory decided for an order, kept so a redelivery changes nothing.
 * RESTOCKED: the order's payment was refunded after its units were sold, and they went back to stock.
 */
export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED' | 'SOLD' | 'RESTOCKED' | 'CANCELLED_BEFORE_DECISION';

/**
 * Creates or replaces a product's catalog data and available stock, keeping
 * the units already reserved for orders and sold. Used by PUT /products and the CSV import.
 */
export function upsertProduct(
  tableName: string,
  product: { sku: string; name: string; price: number; currency: string; stock: number },
  at: string,
) {
  return {
    TableName: tableName,
    Key: keys.product(product.sku),
    UpdateExpression:
      'SET #name = :name, price = :price, currency = :currency, stock = :stock, updatedAt = :at, sku = :sku, entityType = :entity, GSI1PK = :listing, GSI1SK = :sku, reserved = if_not_exists(reserved, :zero), sold = if_not_exists(sold, :zero)',
    ExpressionAttributeNames: { '#name': 'name' },
    ExpressionAttributeValues: {
      ':name': product.name,
      ':price': product.price,
      ':currency': product.currency,
      ':stock': product.stock,
      ':at': at,
      ':sku': product.sku,
      ':entity': 'PRODUCT',
      ':listing': keys.productListing(product.sku).GSI1PK,
      ':zero': 0,
    },
  };
}
