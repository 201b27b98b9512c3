import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CatalogProduct } from '../domain/catalog-import';
import { upsertProduct } from './table-layout';

const CONCURRENT_WRITES = 16;

/** Saves a batch of imported products, a few writes at a time (see upsertProduct for what is kept). */
export function catalogWriter(client: DynamoDBDocumentClient, tableName: string, now: () => string = () => new Date().toISOString()) {
  const write = (product: CatalogProduct) => client.send(new UpdateCommand(upsertProduct(tableName, product, now())));
  return async (products: CatalogProduct[]) => {
    for (let i = 0; i < products.length; i += CONCURRENT_WRITES) await Promise.all(products.slice(i, i + CONCURRENT_WRITES).map(write));
  };
}
