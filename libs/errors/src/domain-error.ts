/**
 * Errors the domain raises on purpose. Each kind maps to one HTTP status in the
 * runtime layer, so domain code never mentions HTTP.
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'invalid' | 'unauthenticated' | 'forbidden';

export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Bundles are minified, which renames classes: every concrete error declares its name as a literal
 * (`override readonly name: string = 'OutOfStockError'`; lint refuses one without), so logs, problems and Step
 * Functions' Retry and Catch read the real one.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
}

export class NotFoundError extends DomainError {
  override readonly name: string = 'NotFoundError';

  readonly kind = 'not-found';
}

export class ConflictError extends DomainError {
  override readonly name: string = 'ConflictError';

  readonly kind = 'conflict';
}

export class ValidationError extends DomainError {
  override readonly name: string = 'ValidationError';

  readonly kind = 'invalid';

  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No verified identity where one is needed (the API's authorizer lets no such request through; this is the backstop). */
export class UnauthenticatedError extends DomainError {
  override readonly name: string = 'UnauthenticatedError';

  readonly kind = 'unauthenticated';
}

/** A known caller asking for what is not theirs to do or see. */
export class ForbiddenError extends DomainError {
  override readonly name: string = 'ForbiddenError';

  readonly kind = 'forbidden';
}
