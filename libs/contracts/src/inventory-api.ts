import { array, int, iso, maxLength, maximum, minimum, minLength, object, refine, string, type infer as Infer } from 'zod/mini';
import { CurrencyCode, NextCursor, Sku } from './orders-api';
import './zod';

const Units = int().check(minimum(0), maximum(1_000_000_000));

/** PUT /products/{sku}: price in minor units (cents), stock = units available to sell. */
export const PutProductRequest = object({
  name: string().check(minLength(1), maxLength(200)),
  price: Units,
  currency: CurrencyCode,
  stock: Units,
});
export type PutProductRequest = Infer<typeof PutProductRequest>;

export const Product = object({
  sku: Sku,
  name: string(),
  price: int(),
  currency: CurrencyCode,
  /** Units that can still be reserved. */
  stock: int(),
  /** Units held for orders whose payment has not ended yet. */
  reserved: int(),
  /** Units sold: they were held for an order and its payment was captured. */
  sold: int(),
  updatedAt: iso.datetime(),
});
export type Product = Infer<typeof Product>;

export const ProductPage = object({ items: array(Product), nextCursor: NextCursor });
export type ProductPage = Infer<typeof ProductPage>;

export const SkuPath = object({ sku: Sku });

/** POST /products/{sku}/stock-adjustments: a signed change of available stock, with why. */
export const StockAdjustmentRequest = object({
  delta: int().check(
    minimum(-1_000_000_000),
    maximum(1_000_000_000),
    refine((delta) => delta !== 0, 'must not be zero'),
  ),
  reason: string().check(minLength(1), maxLength(500)),
});
export type StockAdjustmentRequest = Infer<typeof StockAdjustmentRequest>;
