import {
  array,
  boolean,
  discriminatedUnion,
  enum as oneOf,
  int,
  iso,
  literal,
  minimum,
  minLength,
  object,
  optional,
  string,
  type infer as Infer,
} from 'zod/mini';
import { CurrencySales, ReportDate } from './reporting-api';
import './zod';

/**
 * The daily report workflow (the reporting service's DailyReportStateMachine) and its task functions exchange
 * these documents; the definition (apps/reporting/serverless.yml) hands each task what its Parameters name and
 * places its result with ResultPath:
 *
 *   execution input   ReportRequest                           from the schedule, or POST /reports/daily/{date}
 *   PlanReports       PlanReportsInput → PlannedReports       at $.plan
 *   BuildEachDay      a Map over $.plan.dates, one BuildDayInput each:
 *     WriteReport     BuildDayInput → WrittenReport           at $.written
 *     RecordReport    RecordReportInput → RecordedReport      at $.recorded
 *     (Catch)         ReleaseBuild: ReleaseBuildInput, then the day fails
 */

const NonEmpty = string().check(minLength(1));

/**
 * What started the execution: the schedule (`{"trigger": "schedule"}`: yesterday, and the stale days of the
 * last 7) or a request for one day (`{"trigger": "request", "date", "correlationId"}`).
 */
export const ReportTrigger = oneOf(['schedule', 'request']);

/**
 * What an execution is started with: the schedule's `{"trigger": "schedule", "scheduledTime", "correlationId"}`
 * (EventBridge Scheduler fills in the time the run was due and its own execution id), or a request's
 * `{"trigger": "request", "date", "correlationId"}`.
 */
export const ReportRequest = object({
  trigger: ReportTrigger,
  date: optional(ReportDate),
  scheduledTime: optional(iso.datetime({ offset: true })),
  correlationId: NonEmpty,
});
export type ReportRequest = Infer<typeof ReportRequest>;

/** planDailyReports' input: the execution's own input and its start time. */
export const PlanReportsInput = object({ requested: ReportRequest, startedAt: iso.datetime({ offset: true }), correlationId: NonEmpty });
export type PlanReportsInput = Infer<typeof PlanReportsInput>;

/** The days this execution builds, oldest first. */
export const PlannedReports = object({ dates: array(ReportDate) });
export type PlannedReports = Infer<typeof PlannedReports>;

/** One day of the Map: writeDailyReport's input, and the part of every later task's input that names the day. */
export const BuildDayInput = object({ date: ReportDate, build: NonEmpty, correlationId: NonEmpty });
export type BuildDayInput = Infer<typeof BuildDayInput>;

/**
 * The day's files are written: `version` is the day's change count they reflect. `busy`: another build holds
 * the day (a request while the schedule builds it, say), so this one leaves it alone.
 */
const Written = object({
  outcome: literal('written'),
  version: int().check(minimum(0)),
  builtAt: iso.datetime(),
  /** The bucket the files were written to. */
  bucket: NonEmpty,
  files: object({ json: NonEmpty, csv: NonEmpty }),
  currencies: array(CurrencySales),
  skuRows: int().check(minimum(0)),
});
export const WrittenReport = discriminatedUnion('outcome', [Written, object({ outcome: literal('busy') })]);
export type WrittenReport = Infer<typeof WrittenReport>;

/** recordDailyReport's input: the day, and what writeDailyReport wrote. */
export const RecordReportInput = object({ ...BuildDayInput.shape, written: Written });
export type RecordReportInput = Infer<typeof RecordReportInput>;

/** What recording did: `recorded` is false when a build of newer figures had recorded the day first (nothing changed). */
export const RecordedReport = object({ date: ReportDate, recorded: boolean() });
export type RecordedReport = Infer<typeof RecordedReport>;

/** releaseReportBuild's input, on the Catch path: the day whose build failed, so another may start at once. */
export const ReleaseBuildInput = BuildDayInput;
export type ReleaseBuildInput = Infer<typeof ReleaseBuildInput>;
