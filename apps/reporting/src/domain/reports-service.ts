import {
  eventMetadata,
  newEvent,
  type BuildDayInput,
  type Clock,
  type DailyReport,
  type DailyReportBuild,
  type IdGenerator,
  type PlannedReports,
  type PlanReportsInput,
  type RecordedReport,
  type RecordReportInput,
  type WrittenReport,
} from '@storefront/contracts';
import { dailyReport, rebuildWindow, reportCsv, reportKeys, scheduledDays } from './daily-report';
import { FutureReportDateError, ReportBuildInProgressError, ReportNotFoundError } from './errors';
import type { DownloadLinks, ReportFiles, ReportsRepository, ReportWorkflow } from './ports';
import { utcDay } from './sales';

export const EVENT_SOURCE = 'storefront.reporting';

/** How long a build holds its day: longer than the workflow may run, so only a build that died loses it. */
export const BUILD_HOLD_SECONDS = 15 * 60;

/** How long a download link works. */
export const DOWNLOAD_SECONDS = 15 * 60;

export interface ReportsServiceDeps extends Clock, IdGenerator {
  repository: ReportsRepository;
  files: ReportFiles;
  links: DownloadLinks;
  workflow: ReportWorkflow;
}

/** Builds daily reports (the workflow's tasks), serves them, and starts a build on request. */
export class ReportsService {
  constructor(private readonly deps: ReportsServiceDeps) {}

  /** The days one execution builds: the requested one, or (scheduled) yesterday and the window's stale days. */
  async plan({ requested, startedAt }: PlanReportsInput): Promise<PlannedReports> {
    if (requested.trigger === 'request') {
      if (!requested.date) throw new Error('A requested build names its date');
      return { dates: [requested.date] };
    }
    // The time the schedule was due, not when the execution got going: a delayed or retried run reports the same days.
    const today = utcDay(requested.scheduledTime ?? startedAt);
    const states = await this.deps.repository.dayStates(rebuildWindow(today));
    return { dates: scheduledDays(today, states) };
  }

  /** Takes the day's build, reads its figures and writes its JSON and CSV files; `busy` if another build has the day. */
  async write({ date, build }: BuildDayInput): Promise<WrittenReport> {
    const now = this.deps.now();
    const claimed = await this.deps.repository.claimBuild(date, build, now, new Date(now.getTime() + BUILD_HOLD_SECONDS * 1000));
    if (!claimed) return { outcome: 'busy' };
    const { version, rows } = await this.deps.repository.dayFigures(date);
    const report = dailyReport(date, rows, now.toISOString());
    const files = reportKeys(date);
    await this.deps.files.write(files.json, `${JSON.stringify(report, null, 2)}\n`, 'application/json');
    await this.deps.files.write(files.csv, reportCsv(report), 'text/csv; charset=utf-8');
    const { bucket } = this.deps.files;
    return {
      outcome: 'written',
      version,
      builtAt: report.builtAt,
      bucket,
      files,
      currencies: report.currencies,
      skuRows: report.skus.length,
    };
  }

  /** Records the written report with DailyReportReady (one transaction), then lets go of the day. */
  async record({ date, build, correlationId, written }: RecordReportInput): Promise<RecordedReport> {
    const { version, builtAt, bucket, files, currencies, skuRows } = written;
    const event = newEvent(
      'DailyReportReady',
      { date, builtAt, bucket, files, currencies, skuRows },
      eventMetadata(EVENT_SOURCE, this.deps, correlationId),
    );
    const recorded = await this.deps.repository.recordReport({ date, builtAt, builtVersion: version, files, currencies, skuRows }, event);
    await this.deps.repository.releaseBuild(date, build);
    return { date, recorded };
  }

  /** After a failed build: lets go of the day at once, so the next build need not wait for the hold to run out. */
  release({ date, build }: BuildDayInput): Promise<void> {
    return this.deps.repository.releaseBuild(date, build);
  }

  async get(date: string): Promise<DailyReport> {
    const report = await this.deps.repository.findReport(date);
    if (!report) throw new ReportNotFoundError(date);
    const { builtAt, stale, currencies, skuRows, files } = report;
    const csvUrl = await this.deps.links.downloadUrl(files.csv, DOWNLOAD_SECONDS, `sales-${date}.csv`);
    const expiresAt = new Date(this.deps.now().getTime() + DOWNLOAD_SECONDS * 1000).toISOString();
    return { date, builtAt, stale, currencies, skuRows, files, download: { csvUrl, expiresAt } };
  }

  /**
   * Starts a build of the day now, through the same workflow as the schedule. The day is taken for the new
   * execution before it starts, so a second request while it runs is refused (one build per day at a time).
   */
  async requestBuild(date: string, correlationId: string): Promise<DailyReportBuild> {
    const now = this.deps.now();
    if (date > utcDay(now.toISOString())) throw new FutureReportDateError(date);
    const build = `daily-${date}-${this.deps.newId()}`;
    const claimed = await this.deps.repository.claimBuild(date, build, now, new Date(now.getTime() + BUILD_HOLD_SECONDS * 1000));
    if (!claimed) throw new ReportBuildInProgressError(date);
    try {
      await this.deps.workflow.start(build, { trigger: 'request', date, correlationId });
    } catch (error) {
      await this.deps.repository.releaseBuild(date, build);
      throw error;
    }
    return { date, status: 'BUILDING', build };
  }
}
