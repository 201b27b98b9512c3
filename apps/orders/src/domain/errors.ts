import { ConflictError, NotFoundError } from '@storefront/errors';

export class OrderNotFoundError extends NotFoundError {
  override readonly name: string = 'OrderNotFoundError';

  constructor(readonly orderId: string) {
    super(`Order ${orderId} does not exist`);
  }
}

export class OrderTransitionError extends ConflictError {
  override readonly name: string = 'OrderTransitionError';

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
  override readonly name: string = 'ConcurrentOrderUpdateError';

  constructor(
    readonly orderId: string,
    options?: { cause?: unknown },
  ) {
    super(`Order ${orderId} was changed by another request; read it again and retry`, options);
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  override readonly name: string = 'IdempotencyKeyReusedError';

  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used with a different request body`);
  }
}
