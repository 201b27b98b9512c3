import type { CurrencySales, DailyReportReadyV1 } from '@storefront/contracts';
import type { DayState, FiguresRow } from './daily-report';
import type { DayChange, OrderSales } from './sales';

/** What counting sales needs from storage; the DynamoDB adapter implements it. */
export interface SalesRepository {
  findOrder(orderId: string): Promise<OrderSales | undefined>;
  /**
   * Saves the order's new record and adds each change to its day's figures (and counts a change of each day) in
   * one atomic write, only if the stored record is still the one `record.revision` follows; otherwise throws
   * ConcurrentSalesUpdateError and writes nothing.
   */
  saveOrder(record: OrderSales, changes: DayChange[], at: string): Promise<void>;
}

/** A built report as it is recorded: its summary, where its files are, and the changes of the day it reflects. */
export interface RecordedDay {
  date: string;
  builtAt: string;
  builtVersion: number;
  files: { json: string; csv: string };
  currencies: CurrencySales[];
  skuRows: number;
}

/** What building and serving reports needs from storage. */
export interface ReportsRepository {
  /** How each day stands (a day nobody counted anything for has version 0). */
  dayStates(dates: string[]): Promise<DayState[]>;
  /** The day's figures with the version they are at: the version is read first, so the rows reflect at least it. */
  dayFigures(date: string): Promise<{ version: number; rows: FiguresRow[] }>;
  /** Takes the day's build for `build` until `until` (again, if it holds it already); false while another build holds it. */
  claimBuild(date: string, build: string, now: Date, until: Date): Promise<boolean>;
  /** Lets go of the day's build if `build` holds it. */
  releaseBuild(date: string, build: string): Promise<void>;
  /** Records the report with its event, unless a report of newer figures was recorded first (then false, nothing written). */
  recordReport(report: RecordedDay, event: DailyReportReadyV1): Promise<boolean>;
  findReport(date: string): Promise<(RecordedDay & { stale: boolean }) | undefined>;
}

/** Where report files go: the reports bucket. */
export interface ReportFiles {
  readonly bucket: string;
  write(key: string, body: string, contentType: string): Promise<void>;
}

/** Links to the report files. */
export interface DownloadLinks {
  /** A URL anyone holding it may GET the file with, for `expiresInSeconds`. */
  downloadUrl(key: string, expiresInSeconds: number, fileName: string): Promise<string>;
}

/** The daily report workflow: starts one execution by name (a name already started is not started again). */
export interface ReportWorkflow {
  start(name: string, input: { trigger: 'request'; date: string; correlationId: string }): Promise<void>;
}
