export { DomainError, NotFoundError, ConflictError, ValidationError, type DomainErrorKind, type ValidationIssue } from './domain-error';
