/**
 * A pass-through HTTP proxy in front of an emulator that shows the usage meter every request and its answer, so the
 * counts come from the requests the functions really make. Only a metered stack (`npm run cost`) puts one in place.
 * In front of DynamoDB it asks for ConsumedCapacity on every data request and hands the caller the answer it would
 * have had without it.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { type AttributeValue, DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../common/aws-local.ts';
import { DYNAMODB_METERED, itemBytes, type ObservedExchange, type TransactionItemSize } from './usage-meter.ts';

export interface MeteringProxy {
  url: string;
  close: () => Promise<void>;
}

export interface MeteringProxyOptions {
  target: string;
  observe: (exchange: ObservedExchange) => void;
  /** DynamoDB's JSON API: ask for ConsumedCapacity where the caller did not, and take it off the answer again. */
  askConsumedCapacity?: boolean;
}

interface Rewritten {
  body: Buffer;
  asked: boolean;
}

function withConsumedCapacity(target: string | undefined, body: Buffer): Rewritten {
  const operation = target?.split('.').at(-1);
  if (!operation || !DYNAMODB_METERED.has(operation)) return { body, asked: false };
  const parsed = JSON.parse(body.toString('utf8')) as { ReturnConsumedCapacity?: string };
  if (parsed.ReturnConsumedCapacity && parsed.ReturnConsumedCapacity !== 'NONE') return { body, asked: false };
  // INDEXES splits the table's units from its indexes': a transaction doubles only the former (see usage-meter.ts).
  return { body: Buffer.from(JSON.stringify({ ...parsed, ReturnConsumedCapacity: 'INDEXES' })), asked: true };
}

/** The answer without the ConsumedCapacity the proxy asked for, with the checksum DynamoDB's clients verify. */
function withoutConsumedCapacity(body: Buffer): { body: Buffer; crc: string } {
  const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  delete parsed.ConsumedCapacity;
  const stripped = Buffer.from(JSON.stringify(parsed));
  return { body: stripped, crc: String(crc32(stripped)) };
}

type Item = Record<string, AttributeValue>;
type TransactItem = Record<string, { TableName: string; Key?: Item; Item?: Item }>;

/**
 * Weighs each item of a TransactWriteItems as AWS bills it, the larger of before and after: reads them from DynamoDB
 * Local directly (unmetered) before the transaction, and once more after it for an Update.
 */
function transactionScales(dynamodb: DynamoDBClient) {
  const keyNames = new Map<string, Promise<string[]>>();
  const keyOf = async (table: string, item: Item): Promise<Item> => {
    let names = keyNames.get(table);
    if (!names) {
      names = dynamodb
        .send(new DescribeTableCommand({ TableName: table }))
        .then(({ Table }) => (Table?.KeySchema ?? []).map((k) => k.AttributeName as string));
      keyNames.set(table, names);
    }
    return Object.fromEntries((await names).map((name) => [name, item[name] as AttributeValue]));
  };
  const read = async (table: string, key: Item): Promise<number> =>
    itemBytes((await dynamodb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item as never);
  return async (body: Buffer) => {
    const { TransactItems = [] } = JSON.parse(body.toString('utf8')) as { TransactItems?: TransactItem[] };
    const items = await Promise.all(
      TransactItems.map(async (transactItem) => {
        const [kind, action] = Object.entries(transactItem)[0] as [string, { TableName: string; Key?: Item; Item?: Item }];
        const key = action.Key ?? (await keyOf(action.TableName, action.Item ?? {}));
        return { kind, table: action.TableName, key, before: await read(action.TableName, key), written: itemBytes(action.Item as never) };
      }),
    );
    return async (): Promise<TransactionItemSize[]> =>
      Promise.all(
        items.map(async ({ kind, table, key, before, written }) => ({
          table,
          bytes: Math.max(before, kind === 'Update' ? await read(table, key) : written),
        })),
      );
  };
}

export function startMeteringProxy({ target, observe, askConsumedCapacity = false }: MeteringProxyOptions): Promise<MeteringProxy> {
  const upstream = new URL(target);
  const dynamodb = askConsumedCapacity
    ? new DynamoDBClient({ endpoint: target, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })
    : undefined;
  const weigh = dynamodb ? transactionScales(dynamodb) : undefined;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const received = Buffer.concat(chunks);
    const targetHeader = request.headers['x-amz-target'] as string | undefined;
    let sent: Rewritten = { body: received, asked: false };
    let weighAfter: (() => Promise<TransactionItemSize[]>) | undefined;
    try {
      if (askConsumedCapacity && received.length) sent = withConsumedCapacity(targetHeader, received);
      if (weigh && targetHeader?.endsWith('.TransactWriteItems')) weighAfter = await weigh(received);
    } catch {
      sent = { body: received, asked: false };
    }
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, 'content-length': String(sent.body.length) },
      },
      (reply) => {
        const answer: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => answer.push(chunk));
        reply.on('end', async () => {
          let body: Buffer = Buffer.concat(answer);
          const headers = { ...reply.headers };
          const succeeded = (reply.statusCode ?? 500) < 300;
          const transactionItems = succeeded && weighAfter ? await weighAfter().catch(() => undefined) : undefined;
          observe({
            transactionItems,
            method: request.method ?? 'GET',
            path: request.url ?? '/',
            headers: request.headers,
            requestBody: sent.body.toString('utf8'),
            status: reply.statusCode ?? 502,
            responseBody: body.toString('utf8'),
          });
          if (sent.asked && succeeded) {
            const stripped = withoutConsumedCapacity(body);
            body = stripped.body;
            headers['x-amz-crc32'] = stripped.crc;
          }
          delete headers['transfer-encoding'];
          response.writeHead(reply.statusCode ?? 502, { ...headers, 'content-length': String(body.length) });
          response.end(body);
        });
        reply.on('error', () => response.destroy());
      },
    );
    forwarded.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    forwarded.end(sent.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            dynamodb?.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
