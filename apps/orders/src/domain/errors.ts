import { ConflictError, NotFoundError } from '@storefront/errors';

export class OrderNotFoundError extends NotFoundError {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} does not exist`);
  }
}

export class OrderTransitionError extends ConflictError {
  constructor(
    readonly orderId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`Order ${orderId} is ${from} and cannot become ${to}`);
  }
}

/** Someone else changed the order between our read and our write. */
export class ConcurrentOrderUpdateError extends ConflictError {
  constructor(
    readonly orderId: string,
    options?: { cause?: unknown },
  ) {
    super(`Order ${orderId} was changed by another request; read it again and retry`, options);
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used with a different request body`);
  }
}
