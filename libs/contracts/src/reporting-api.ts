import { array, boolean, int, iso, literal, minimum, object, refine, regex, string, url, type infer as Infer } from 'zod/mini';
import { CurrencyCode, Sku } from './orders-api';
import './zod';

const DATE_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `YYYY-MM-DD` names a day of the calendar (2026-02-30 does not); text of another shape is the format's to refuse. */
function isCalendarDate(text: string): boolean {
  if (!DATE_FORMAT.test(text)) return true;
  const day = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}

/** A UTC day, as reports are kept: `YYYY-MM-DD`. */
export const ReportDate = string().check(
  regex(DATE_FORMAT, 'must be a date as YYYY-MM-DD'),
  refine(isCalendarDate, 'must be a day of the calendar'),
);
export type ReportDate = Infer<typeof ReportDate>;

export const ReportDatePath = object({ date: ReportDate });

const Count = int().check(minimum(0));

/**
 * What one UTC day sold and gave back, in one currency: `orders` paid (CONFIRMED) that day with their
 * `units` and `revenue`; `refunds` of paid orders made that day with the units and the amount they gave
 * back. Amounts are in minor units (cents); `netRevenue` = revenue − refundedAmount.
 */
export const SalesFigures = object({
  orders: Count,
  units: Count,
  revenue: Count,
  refunds: Count,
  refundedUnits: Count,
  refundedAmount: Count,
  netRevenue: int(),
});
export type SalesFigures = Infer<typeof SalesFigures>;

export const CurrencySales = object({ currency: CurrencyCode, ...SalesFigures.shape });
export type CurrencySales = Infer<typeof CurrencySales>;

/** One SKU's figures in one currency (a SKU sold in two currencies has two rows). */
export const SkuSales = object({ sku: Sku, currency: CurrencyCode, ...SalesFigures.shape });
export type SkuSales = Infer<typeof SkuSales>;

/** The day's report as written to `reports/daily/<date>.json`; the `.csv` beside it holds the `skus` rows. */
export const DailyReportFile = object({
  date: ReportDate,
  builtAt: iso.datetime(),
  currencies: array(CurrencySales),
  skus: array(SkuSales),
});
export type DailyReportFile = Infer<typeof DailyReportFile>;

/** GET /reports/daily/{date}: the report's summary, and where to download it. */
export const DailyReport = object({
  date: ReportDate,
  builtAt: iso.datetime(),
  /** Events for the day arrived after it was built: the next scheduled run (or a POST) builds it again. */
  stale: boolean(),
  currencies: array(CurrencySales),
  /** How many SKU rows the CSV holds. */
  skuRows: Count,
  files: object({ json: string(), csv: string() }),
  /** A presigned GET of the CSV, valid until `expiresAt` (15 minutes): no credentials needed to download it. */
  download: object({ csvUrl: url(), expiresAt: iso.datetime() }),
});
export type DailyReport = Infer<typeof DailyReport>;

/** POST /reports/daily/{date}: the build started; GET the report once it is done. */
export const DailyReportBuild = object({
  date: ReportDate,
  status: literal('BUILDING'),
  /** The build's workflow execution. */
  build: string(),
});
export type DailyReportBuild = Infer<typeof DailyReportBuild>;
