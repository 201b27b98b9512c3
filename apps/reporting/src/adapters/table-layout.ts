import type { DailyReportReadyV1 } from '@storefront/contracts';

/**
 * How many rows a day's hottest counters (each currency's totals, the day's change count) are spread over. Every
 * paid order of a day adds to them, each in its own transaction; on one item those transactions would queue
 * behind each other (TransactionConflict), so each order adds to the shard its id picks, and reads add them up.
 */
export const SHARDS = 10;

/** The shard an order's changes go to: the same for every event of the order. */
export function shardOf(orderId: string): number {
  let hash = 0;
  for (const character of orderId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return hash % SHARDS;
}

/** The key of every item kind in the reporting table; the access patterns are listed in resources/reporting.yml. */
export const keys = {
  orderSales: (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'SALES' }),
  dayState: (date: string) => ({ PK: `DAY#${date}`, SK: 'STATE' }),
  dayVersion: (date: string, shard: number) => ({ PK: `DAY#${date}`, SK: `${VERSION_PREFIX}${shard}` }),
  // `~` is no SKU character, so a currency's totals never meet a SKU's row.
  currencyFigures: (date: string, currency: string, shard: number) => ({ PK: `DAY#${date}`, SK: `${FIGURES_PREFIX}${currency}#~${shard}` }),
  skuFigures: (date: string, currency: string, sku: string) => ({ PK: `DAY#${date}`, SK: `${FIGURES_PREFIX}${currency}#${sku}` }),
  dayBuild: (date: string) => ({ PK: `DAY#${date}`, SK: 'BUILD' }),
  outboxEvent: (event: DailyReportReadyV1) => ({ PK: `DAY#${event.data.date}`, SK: `EVENT#${event.occurredAt}#${event.id}` }),
};

export const FIGURES_PREFIX = 'FIGURES#';
export const VERSION_PREFIX = 'VERSION#';
