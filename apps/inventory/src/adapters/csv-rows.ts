import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { CATALOG_COLUMNS, type CatalogRow } from '../domain/catalog-import';

/**
 * Streams a catalog CSV (header `sku,name,price,currency,stock`) as rows with
 * their line numbers. A row the parser cannot read (e.g. a broken quote)
 * becomes a row with a problem instead of ending the file.
 */
export async function* csvRows(source: Readable): AsyncGenerator<CatalogRow> {
  const skipped: CatalogRow[] = [];
  const parser = source.pipe(
    parse({
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase());
        const missing = CATALOG_COLUMNS.filter((c) => !names.includes(c));
        if (missing.length) throw new Error(`line 1: the header lacks ${missing.join(', ')} (expected ${CATALOG_COLUMNS.join(',')})`);
        return names;
      },
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      info: true,
      on_skip: (error) => {
        skipped.push({ line: Number((error as { lines?: number } | undefined)?.lines ?? 0), problem: error?.message ?? 'unreadable row' });
        return undefined;
      },
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    while (skipped.length) yield skipped.shift() as CatalogRow;
    yield { line: info.lines, fields: record };
  }
  while (skipped.length) yield skipped.shift() as CatalogRow;
}
