import { ConflictError, NotFoundError, ValidationError } from '@storefront/errors';

export class ReportNotFoundError extends NotFoundError {
  override readonly name: string = 'ReportNotFoundError';

  constructor(readonly date: string) {
    super(`No report of ${date} has been built; POST /reports/daily/${date} builds it`);
  }
}

export class ReportBuildInProgressError extends ConflictError {
  override readonly name: string = 'ReportBuildInProgressError';

  constructor(readonly date: string) {
    super(`The report of ${date} is being built; GET it once the build is done, or POST again then to build it anew`);
  }
}

export class FutureReportDateError extends ValidationError {
  override readonly name: string = 'FutureReportDateError';

  constructor(readonly date: string) {
    super(`${date} has not begun yet (UTC): there is nothing to report`, [{ path: 'path.date', message: 'must not be after today (UTC)' }]);
  }
}

/** The order's sales record changed between reading and writing it: read again and decide again. */
export class ConcurrentSalesUpdateError extends Error {
  override readonly name = 'ConcurrentSalesUpdateError';

  constructor(
    readonly orderId: string,
    options?: { cause?: unknown },
  ) {
    super(`The sales record of order ${orderId} changed meanwhile`, options);
  }
}
