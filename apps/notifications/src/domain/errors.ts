import { ValidationError, type ValidationIssue } from '@storefront/errors';

/** A message that can never be handled: retrying will not help, so it ends in the dead-letter queue. */
export class UnreadableEventError extends ValidationError {
  constructor(messageId: string, issues: ValidationIssue[]) {
    super(`Message ${messageId} is not an order event this service understands`, issues);
  }
}
