import type { DailyReportReadyV1 } from '@storefront/contracts';

/** The key of every item kind in the reporting table; the access patterns are listed in resources/reporting.yml. */
export const keys = {
  orderSales: (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'SALES' }),
  dayState: (date: string) => ({ PK: `DAY#${date}`, SK: 'STATE' }),
  currencyFigures: (date: string, currency: string) => ({ PK: `DAY#${date}`, SK: `FIGURES#${currency}` }),
  skuFigures: (date: string, currency: string, sku: string) => ({ PK: `DAY#${date}`, SK: `FIGURES#${currency}#${sku}` }),
  dayBuild: (date: string) => ({ PK: `DAY#${date}`, SK: 'BUILD' }),
  outboxEvent: (event: DailyReportReadyV1) => ({ PK: `DAY#${event.data.date}`, SK: `EVENT#${event.occurredAt}#${event.id}` }),
};

export const FIGURES_PREFIX = 'FIGURES#';
