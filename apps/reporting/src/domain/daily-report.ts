import type { CurrencySales, DailyReportFile, SkuSales } from '@storefront/contracts';
import { NO_FIGURES, type Figures } from './sales';

/** How a day stands: `version` counts the changes to its figures; `builtVersion`, the changes its report reflects. */
export interface DayState {
  date: string;
  version: number;
  builtVersion?: number;
}

/** Events for the day arrived after its report was built. */
export const isStale = (day: DayState): boolean => day.builtVersion !== undefined && day.version > day.builtVersion;

/** How many days back (yesterday included) a scheduled run looks for days to build again. */
export const REBUILD_WINDOW_DAYS = 7;

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The days a scheduled run looks at, oldest first: the last REBUILD_WINDOW_DAYS full UTC days before `today`. */
export function rebuildWindow(today: string): string[] {
  return Array.from({ length: REBUILD_WINDOW_DAYS }, (_, i) => addDays(today, i - REBUILD_WINDOW_DAYS));
}

/**
 * What a scheduled run builds, oldest first: yesterday always (an operator expects a report every morning,
 * even of a day without sales), and any other day of the window that is stale, or has figures and was never
 * built (its night's run failed).
 */
export function scheduledDays(today: string, states: DayState[]): string[] {
  const yesterday = addDays(today, -1);
  const needsBuild = (day: DayState) => isStale(day) || (day.builtVersion === undefined && day.version > 0);
  const window = new Set(rebuildWindow(today));
  return [...new Set([...states.filter((s) => window.has(s.date) && needsBuild(s)).map((s) => s.date), yesterday])].sort();
}

/** A stored row of figures: one currency's totals (no `sku`) or one SKU's share. */
export interface FiguresRow extends Partial<Figures> {
  currency: string;
  sku?: string;
}

const figuresOf = (row: FiguresRow): Figures & { netRevenue: number } => {
  const figures = Object.fromEntries(Object.keys(NO_FIGURES).map((name) => [name, row[name as keyof Figures] ?? 0])) as unknown as Figures;
  return { ...figures, netRevenue: figures.revenue - figures.refundedAmount };
};

/** Rows of the same currency and SKU (or currency totals) added up: a day's totals may be kept in several rows. */
function addedUp(rows: FiguresRow[]): FiguresRow[] {
  const sums = new Map<string, FiguresRow>();
  for (const row of rows) {
    const key = `${row.currency}#${row.sku ?? ''}`;
    const sum: FiguresRow = sums.get(key) ?? { currency: row.currency, ...(row.sku !== undefined ? { sku: row.sku } : {}) };
    for (const name of Object.keys(NO_FIGURES) as (keyof Figures)[]) sum[name] = (sum[name] ?? 0) + (row[name] ?? 0);
    sums.set(key, sum);
  }
  return [...sums.values()];
}

/** The day's report from its stored figures: currencies by code, SKU rows by currency and SKU. */
export function dailyReport(date: string, stored: FiguresRow[], builtAt: string): DailyReportFile {
  const rows = addedUp(stored);
  const currencies: CurrencySales[] = rows
    .filter((row) => row.sku === undefined)
    .map((row) => ({ currency: row.currency, ...figuresOf(row) }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
  const skus: SkuSales[] = rows
    .filter((row): row is FiguresRow & { sku: string } => row.sku !== undefined)
    .map((row) => ({ sku: row.sku, currency: row.currency, ...figuresOf(row) }))
    .sort((a, b) => a.currency.localeCompare(b.currency) || a.sku.localeCompare(b.sku));
  return { date, builtAt, currencies, skus };
}

const CSV_COLUMNS = [
  ['date', (_: SkuSales, date: string) => date],
  ['currency', (row: SkuSales) => row.currency],
  ['sku', (row: SkuSales) => row.sku],
  ['orders', (row: SkuSales) => row.orders],
  ['units', (row: SkuSales) => row.units],
  ['revenue_minor', (row: SkuSales) => row.revenue],
  ['refunds', (row: SkuSales) => row.refunds],
  ['refunded_units', (row: SkuSales) => row.refundedUnits],
  ['refunded_amount_minor', (row: SkuSales) => row.refundedAmount],
  ['net_revenue_minor', (row: SkuSales) => row.netRevenue],
] as const;

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
const csvField = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The report's SKU rows as CSV (amounts in minor units), one line per SKU and currency, with a header. */
export function reportCsv(report: DailyReportFile): string {
  const header = CSV_COLUMNS.map(([name]) => name).join(',');
  const lines = report.skus.map((row) => CSV_COLUMNS.map(([, value]) => csvField(value(row, report.date))).join(','));
  return `${[header, ...lines].join('\r\n')}\r\n`;
}

/** Where a day's files live in the reports bucket. */
export const reportKeys = (date: string) => ({ json: `reports/daily/${date}.json`, csv: `reports/daily/${date}.csv` });
