import { Worker } from 'node:worker_threads';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION } from '@storefront/testing';
import { StackError } from '#packaging';
import { INTAKE, listenToMessages, type SpyMessage } from '../../src/emulators/messaging/messaging-spy.ts';
import type { FromWorker, ToWorker } from '../support/messaging-worker.ts';

// The installed fauxqs runs in a worker with the adapter listening (see support/messaging-worker.ts).
let emulator: Worker;
let started: FromWorker;
const heard: SpyMessage[] = [];
const answers: FromWorker[] = [];
let clients: { sns: SNSClient; sqs: SQSClient; s3: S3Client };

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (let found = find(); ; found = find()) {
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The emulator's endpoint, or the adapter's reason it could not listen there. */
function listeningAt(): string {
  if (started.kind !== 'listening') throw new Error(started.kind === 'failed' ? started.error : 'the emulator did not start');
  return started.endpoint;
}

/** Asks the worker and waits for its answer of the given kind. */
async function ask<K extends FromWorker['kind']>(request: ToWorker, kind: K) {
  answers.length = 0;
  emulator.postMessage(request);
  return until(() => answers.find((answer): answer is Extract<FromWorker, { kind: K }> => answer.kind === kind), kind);
}

beforeAll(async () => {
  emulator = new Worker(new URL('../support/messaging-worker.ts', import.meta.url), {
    workerData: { port: await freePort() },
    // fauxqs keeps S3 objects with node:sqlite, which Node 22 calls experimental.
    execArgv: ['--disable-warning=ExperimentalWarning'],
  });
  emulator.on('message', (message: FromWorker) => {
    if (message.kind === 'heard') heard.push(message.message);
    else if (message.kind === 'listening' || message.kind === 'failed') started = message;
    else answers.push(message);
  });
  started = await until(() => started, 'the emulator to start');
  const endpoint = started.kind === 'listening' ? started.endpoint : undefined;
  const config = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  clients = { sns: new SNSClient(config), sqs: new SQSClient(config), s3: new S3Client({ ...config, forcePathStyle: true }) };
});

afterAll(async () => {
  Object.values(clients ?? {}).forEach((client) => client.destroy());
  emulator?.postMessage({ kind: 'shut-down' } satisfies ToWorker);
  await new Promise((resolve) => emulator?.once('exit', resolve));
});

describe('the adapter on the installed fauxqs', () => {
  it(`finds the spy's ${INTAKE} intake to listen on`, () => {
    // The first test to fail after an upgrade that took the intake away, with the adapter's reason.
    expect(started).toEqual({ kind: 'listening', endpoint: expect.any(String) });
  });

  it('hands over each message published through the emulator, and fauxqs still records it', async () => {
    listeningAt();
    heard.length = 0;
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: 'spy-orders' }));
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'spy-order-events' }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await clients.sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn, Attributes: { RawMessageDelivery: 'true' } }),
    );

    const { MessageId } = await clients.sns.send(
      new PublishCommand({
        TopicArn,
        Message: '{"type":"OrderPlaced"}',
        MessageAttributes: { correlationId: { DataType: 'String', StringValue: 'spy-1' } },
      }),
    );

    await until(() => (heard.length >= 2 ? true : undefined), 'the publish and its delivery');
    expect(heard).toEqual([
      expect.objectContaining({ service: 'sns', status: 'published', topicName: 'spy-orders', messageId: MessageId }),
      expect.objectContaining({ service: 'sqs', status: 'published', queueName: 'spy-order-events', body: '{"type":"OrderPlaced"}' }),
    ]);
    expect(heard[0]?.messageAttributes?.correlationId?.StringValue).toBe('spy-1');
    expect(await ask({ kind: 'recorded', filter: { messageId: MessageId } }, 'recorded')).toEqual({ kind: 'recorded', found: true });
  });

  it('hands over every object written to a bucket', async () => {
    listeningAt();
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'spy-imports' }));
    heard.length = 0;

    await clients.s3.send(new PutObjectCommand({ Bucket: 'spy-imports', Key: 'imports/today.csv', Body: 'sku\n' }));

    await until(() => heard.at(0), 'the upload');
    expect(heard).toEqual([
      expect.objectContaining({ service: 's3', status: 'uploaded', bucket: 'spy-imports', key: 'imports/today.csv' }),
    ]);
  });

  it('hands over nothing more once told to stop, and fauxqs goes on recording', async () => {
    listeningAt();
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: 'spy-quiet' }));
    await ask({ kind: 'stop-listening' }, 'stopped-listening');
    heard.length = 0;

    await clients.sns.send(new PublishCommand({ TopicArn, Message: 'after' }));

    expect(await ask({ kind: 'recorded', filter: { topicName: 'spy-quiet' } }, 'recorded')).toEqual({ kind: 'recorded', found: true });
    expect(heard).toEqual([]);
  });
});

describe('the adapter on a fauxqs without the intake', () => {
  it('refuses to listen, naming fauxqs, its version and the missing method', () => {
    const withoutIntake = { spy: {} as Parameters<typeof listenToMessages>[0]['spy'] };

    const listen = () => listenToMessages(withoutIntake, () => undefined);

    expect(listen).toThrow(StackError);
    expect(listen).toThrow(
      new RegExp(`^fauxqs \\d+\\.\\d+\\.\\d+ has no spy\\.${INTAKE}\\(message\\), the intake the local stack listens on`),
    );
  });
});
