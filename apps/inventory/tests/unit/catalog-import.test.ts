import { Readable } from 'node:stream';
import { csvRows } from '../../src/adapters/csv-rows';
import { importCatalog, MAX_REPORTED_ERRORS, readCatalogRow, type CatalogProduct } from '../../src/domain/catalog-import';

const rowsOf = (csv: string) => csvRows(Readable.from([csv]));

async function importText(csv: string, batchSize = 2) {
  const saved: CatalogProduct[][] = [];
  const result = await importCatalog('imports/test.csv', rowsOf(csv), async (batch) => void saved.push(batch), { batchSize });
  return { result, saved };
}

describe('reading a catalog row', () => {
  it('accepts a complete row', () => {
    expect(readCatalogRow({ line: 2, fields: { sku: 'A-1', name: 'Lamp', price: '1999', currency: 'EUR', stock: '5' } })).toEqual({
      product: { sku: 'A-1', name: 'Lamp', price: 1999, currency: 'EUR', stock: 5 },
    });
  });

  it.each([
    [{ sku: 'A-1', name: 'Lamp', price: '-5', currency: 'EUR', stock: '5' }, 'price: must be a whole number, 0 or more (got "-5")'],
    [{ sku: 'A-1', name: 'Lamp', price: '19.99', currency: 'EUR', stock: '5' }, 'price: must be a whole number'],
    [{ sku: 'A 1', name: 'Lamp', price: '1', currency: 'EUR', stock: '5' }, 'sku:'],
    [{ sku: 'A-1', name: '', price: '1', currency: 'EUR', stock: '5' }, 'name:'],
    [{ sku: 'A-1', name: 'Lamp', price: '1', currency: 'eur', stock: '5' }, 'currency:'],
  ])('explains what is wrong with %o', (fields, message) => {
    const read = readCatalogRow({ line: 3, fields });

    expect('error' in read && read.error).toContain(message);
  });
});

describe('importing a catalog', () => {
  it('saves the good rows in batches and reports the bad ones by line number', async () => {
    const csv = [
      'sku,name,price,currency,stock',
      'A,Lamp,100,EUR,1',
      'B,Chair,oops,EUR,1',
      '"C","Table, oak",300,EUR,3',
      'D,Sofa,400,EUR,4',
      '',
    ].join('\n');

    const { result, saved } = await importText(csv);

    expect(saved.map((batch) => batch.map((p) => p.sku))).toEqual([['A', 'C'], ['D']]);
    expect(saved[0]?.[1]?.name).toBe('Table, oak');
    expect(result).toEqual({
      file: 'imports/test.csv',
      rows: 4,
      imported: 3,
      rejected: 1,
      errors: [{ line: 3, message: expect.stringContaining('price') }],
      moreErrors: 0,
    });
  });

  it('keeps going past a row the parser cannot read', async () => {
    const csv = ['sku,name,price,currency,stock', 'A,Lamp,100,EUR,1', 'B,"broken quote,100,EUR,1', 'C,Chair,300,EUR,3'].join('\n');

    const { result } = await importText(csv);

    expect(result.imported).toBeGreaterThanOrEqual(1);
    expect(result.rejected).toBeGreaterThanOrEqual(1);
    expect(result.errors[0]?.line).toBeGreaterThan(1);
  });

  it('reports a file without the expected header as one error on line 1', async () => {
    await expect(importText('code,title\nA,Lamp\n')).rejects.toThrow('line 1: the header lacks sku, name, price, currency, stock');
  });

  it('caps the errors it lists and counts the rest', async () => {
    const bad = Array.from({ length: MAX_REPORTED_ERRORS + 5 }, (_, i) => `S${i},Lamp,x,EUR,1`);

    const { result } = await importText(['sku,name,price,currency,stock', ...bad].join('\n'));

    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.moreErrors).toBe(5);
    expect(result.rejected).toBe(MAX_REPORTED_ERRORS + 5);
  });

  it('reads only a bounded stretch ahead of what it saved, however long the file', async () => {
    let produced = 0;
    let saved = 0;
    let furthestAhead = 0;
    async function* lines() {
      yield 'sku,name,price,currency,stock\n';
      for (let i = 0; i < 20_000; i++) {
        produced += 1;
        furthestAhead = Math.max(furthestAhead, produced - saved);
        yield `SKU-${i},Item ${i},${i},EUR,${i % 7}\n`;
      }
    }

    const result = await importCatalog(
      'imports/big.csv',
      csvRows(Readable.from(lines())),
      async (batch) => {
        saved += batch.length;
      },
      { batchSize: 100 },
    );

    expect(result.imported).toBe(20_000);
    // Rows read but not yet saved stay within one batch plus the streams' buffers (~70 KB), a small
    // fraction of the file: the import never holds the whole file.
    expect(furthestAhead).toBeLessThan(4_000);
  });
});
