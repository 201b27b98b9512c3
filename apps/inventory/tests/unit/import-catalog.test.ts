import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { aLambdaContext, anS3Event, anS3Record, TEST_PAGE_CURSOR_KEY } from '@storefront/testing';

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../src/handlers/import-catalog').handler;

beforeAll(async () => {
  process.env.INVENTORY_TABLE = 'inventory-test';
  process.env.PAGE_CURSOR_KEY = TEST_PAGE_CURSOR_KEY;
  handler = (await import('../../src/handlers/import-catalog')).handler;
});

beforeEach(() => {
  s3.reset();
  dynamo.reset();
  dynamo.on(UpdateCommand).resolves({});
});

const uploaded = (csv: string) => ({ Body: Readable.from([csv]) as never });

describe('importCatalog', () => {
  it('reads the uploaded file by its decoded key and writes the result next to it', async () => {
    s3.on(GetObjectCommand).resolves(uploaded('sku,name,price,currency,stock\nA,Lamp,100,EUR,1\nB,Chair,oops,EUR,1\n'));

    await handler(anS3Event(anS3Record({ bucket: 'imports-bucket', key: 'imports/spring sale+1.csv' })), aLambdaContext());

    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'imports-bucket', Key: 'imports/spring sale+1.csv' });
    const result = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(result).toMatchObject({ Bucket: 'imports-bucket', Key: 'imports/spring sale+1.result.json', ContentType: 'application/json' });
    expect(JSON.parse(String(result?.Body))).toMatchObject({ file: 'imports/spring sale+1.csv', rows: 2, imported: 1, rejected: 1 });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('writes a result that says why when the file cannot be read at all', async () => {
    s3.on(GetObjectCommand).resolves(uploaded('code,title\nA,Lamp\n'));

    await handler(anS3Event(anS3Record({ key: 'imports/wrong.csv' })), aLambdaContext());

    const result = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body));
    expect(result).toEqual({
      file: 'imports/wrong.csv',
      rows: 0,
      imported: 0,
      rejected: 0,
      errors: [{ line: 1, message: expect.stringMatching(/^the header lacks sku, name, price, currency, stock/) }],
      moreErrors: 0,
    });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
