import { parseWith, PutProductRequest, Sku } from '@storefront/contracts';

export const CATALOG_COLUMNS = ['sku', 'name', 'price', 'currency', 'stock'] as const;
export const MAX_REPORTED_ERRORS = 100;

/** One row as read from the file, before validation; `problem` is set when the row could not even be parsed. */
export interface CatalogRow {
  line: number;
  fields?: Record<string, string | undefined>;
  problem?: string;
}

export interface CatalogProduct {
  sku: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
}

export interface ImportResult {
  file: string;
  rows: number;
  imported: number;
  rejected: number;
  errors: { line: number; message: string }[];
  moreErrors: number;
}

const isWholeNumber = (text: string | undefined) => text !== undefined && /^\d+$/.test(text.trim());

/** Validates one row with the same contract as PUT /products/{sku}. */
export function readCatalogRow(row: CatalogRow): { product: CatalogProduct } | { error: string } {
  if (row.problem) return { error: row.problem };
  const fields = row.fields ?? {};
  const notWhole = (['price', 'stock'] as const).filter((column) => !isWholeNumber(fields[column]));
  if (notWhole.length)
    return { error: notWhole.map((column) => `${column}: must be a whole number, 0 or more (got "${fields[column] ?? ''}")`).join('; ') };
  const sku = parseWith(Sku, fields.sku?.trim());
  const body = parseWith(PutProductRequest, {
    name: fields.name?.trim(),
    price: Number(fields.price),
    currency: fields.currency?.trim(),
    stock: Number(fields.stock),
  });
  const issues = [...(sku.success ? [] : sku.issues.map((i) => ({ ...i, path: 'sku' }))), ...(body.success ? [] : body.issues)];
  if (!sku.success || !body.success) return { error: issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
  return { product: { sku: sku.data, ...body.data } };
}

/**
 * Imports a catalog row by row: good rows are saved in batches as they are
 * read, bad rows are counted and reported with their line numbers and never
 * stop the rest. Only one batch is held in memory at a time.
 */
export async function importCatalog(
  file: string,
  rows: AsyncIterable<CatalogRow>,
  save: (products: CatalogProduct[]) => Promise<void>,
  { batchSize = 100 } = {},
): Promise<ImportResult> {
  const result: ImportResult = { file, rows: 0, imported: 0, rejected: 0, errors: [], moreErrors: 0 };
  let batch: CatalogProduct[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await save(batch);
    result.imported += batch.length;
    batch = [];
  };
  for await (const row of rows) {
    result.rows += 1;
    const read = readCatalogRow(row);
    if ('error' in read) {
      result.rejected += 1;
      if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push({ line: row.line, message: read.error });
      else result.moreErrors += 1;
      continue;
    }
    batch.push(read.product);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return result;
}
