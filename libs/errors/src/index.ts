export {
  DomainError,
  NotFoundError,
  ConflictError,
  ForbiddenError,
  UnauthenticatedError,
  ValidationError,
  type DomainErrorKind,
  type ValidationIssue,
} from './domain-error';
