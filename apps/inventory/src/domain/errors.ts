import { ConflictError, NotFoundError } from '@storefront/errors';

export class ProductNotFoundError extends NotFoundError {
  override readonly name: string = 'ProductNotFoundError';

  constructor(readonly sku: string) {
    super(`Product ${sku} does not exist`);
  }
}

export class StockWouldGoNegativeError extends ConflictError {
  override readonly name: string = 'StockWouldGoNegativeError';

  constructor(
    readonly sku: string,
    readonly stock: number,
    readonly delta: number,
  ) {
    super(`Product ${sku} has ${stock} in stock; an adjustment of ${delta} would take it below zero`);
  }
}
