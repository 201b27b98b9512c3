import { ConflictError, NotFoundError } from '@storefront/errors';

export class ProductNotFoundError extends NotFoundError {
  constructor(readonly sku: string) {
    super(`Product ${sku} does not exist`);
  }
}

export class StockWouldGoNegativeError extends ConflictError {
  constructor(
    readonly sku: string,
    readonly stock: number,
    readonly delta: number,
  ) {
    super(`Product ${sku} has ${stock} in stock; an adjustment of ${delta} would take it below zero`);
  }
}
