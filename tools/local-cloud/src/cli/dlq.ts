#!/usr/bin/env node
/**
 * `npm run dlq`: the failure queues of the running local stack.
 *   npm run dlq                       every failure queue, how many messages it holds, and what fails into it:
 *                                     dead-letter queues (the queue they serve) and the stream mappings'
 *                                     on-failure queues, such as the outbox relays' (the function and its table)
 *   npm run dlq -- --show <queue>     its messages (body, how often they were received)
 *   npm run dlq -- --redrive <queue>  a dead-letter queue: move its messages back to the queue they came from;
 *                                     an on-failure queue: read the stream records each message describes and
 *                                     run them through the function again (for an outbox, that publishes them)
 *   --base-port <n>                   the stack's base port (default 4000, or STOREFRONT_BASE_PORT)
 * On AWS a dead-letter queue is moved back with `aws sqs start-message-move-task --source-arn <dlq-arn>`; an
 * on-failure message is redriven by reading its records with `aws dynamodbstreams get-records` and invoking the function.
 */
import { parseArgs } from 'node:util';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../common/aws-local.ts';
import { invokeOffline } from '../stack/offline.ts';
import { composeServices, packagedTemplate } from '#packaging';
import { describeServices, portsFor } from '../stack/layout.ts';
import {
  failedBatchOf,
  type RedriveResult,
  redriveFailedBatch,
  type StreamFailureDestination,
  streamFailureDestinations,
} from '../event-sources/stream-failures.ts';
import type { Invoke } from '../common/types.ts';

interface DeadLetterQueue {
  source: string;
  maxReceiveCount: unknown;
}

const { values } = parseArgs({
  options: {
    'base-port': { type: 'string', default: process.env.STOREFRONT_BASE_PORT ?? '4000' },
    show: { type: 'string' },
    redrive: { type: 'string' },
  },
});
const services = composeServices();
const ports = portsFor(Number(values['base-port']), services);
const endpoint = `http://127.0.0.1:${ports['SNS/SQS/S3 emulator']}`;
const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const sqs = new SQSClient({ ...clientConfig, endpoint });
const nameOf = (urlOrArn: unknown): string => String(urlOrArn).split(/[/:]/).at(-1) as string;

/** Every queue with a redrive policy, keyed by the dead-letter queue it names. */
async function deadLetterQueues(): Promise<Map<string, DeadLetterQueue>> {
  let urls: string[] = [];
  try {
    ({ QueueUrls: urls = [] } = await sqs.send(new ListQueuesCommand({ MaxResults: 1000 })));
  } catch {
    console.error(`Nothing answers at ${endpoint}. Start the system first with \`npm start\` (or pass --base-port).`);
    process.exit(1);
  }
  const dlqs = new Map<string, DeadLetterQueue>();
  for (const url of urls) {
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }));
    if (!Attributes.RedrivePolicy) continue;
    const policy = JSON.parse(Attributes.RedrivePolicy);
    dlqs.set(nameOf(policy.deadLetterTargetArn), { source: nameOf(url), maxReceiveCount: policy.maxReceiveCount });
  }
  return dlqs;
}

/** The stream mappings' on-failure queues, read from the packaged templates the stack was started from. */
function streamFailureQueues(): Map<string, StreamFailureDestination> {
  const packaged = services.filter((service) => packagedTemplate(service));
  const destinations = streamFailureDestinations(describeServices(packaged, { apiEndpoint: `http://localhost:${ports.gateway}` }));
  return new Map(destinations.map((destination) => [destination.queue, destination]));
}

async function urlOf(name: string): Promise<string | undefined> {
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
}

async function count(name: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: await urlOf(name), AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
}

/** Receives a queue's messages a batch at a time, hiding each batch for 30 s while `use` works on it. */
async function eachBatch(url: string | undefined, use: (messages: Message[]) => Promise<void>): Promise<void> {
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return;
    await use(Messages);
  }
}

async function redriveDeadLetters(name: string, { source }: DeadLetterQueue): Promise<void> {
  const url = await urlOf(name);
  const sourceUrl = await urlOf(source);
  let moved = 0;
  await eachBatch(url, async (messages) => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body,
          ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
        })),
      }),
    );
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    moved += messages.length;
  });
  console.log(`moved ${moved} message(s) from ${name} back to ${source}`);
}

async function redriveStreamFailures(name: string, destination: StreamFailureDestination): Promise<void> {
  const url = await urlOf(name);
  const streams = new DynamoDBStreamsClient({ ...clientConfig, endpoint: `http://127.0.0.1:${ports['DynamoDB Local']}` });
  const invoke: Invoke = (functionName, event) => invokeOffline(ports[`${destination.service} lambda`] as number, functionName, event);
  let batches = 0;
  let records = 0;
  const failures: string[] = [];
  await eachBatch(url, async (messages) => {
    for (const message of messages) {
      const result: RedriveResult = await redriveFailedBatch(message.Body as string, { destination, streams, invoke }).catch(
        (error: Error) => ({ ok: false, reason: error.message }),
      );
      if (!result.ok) {
        failures.push(`${message.MessageId}: ${result.reason}`);
        continue;
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
      batches += 1;
      records += result.records;
    }
  });
  streams.destroy();
  console.log(`ran ${records} stream record(s) of ${batches} failed batch(es) from ${name} through ${destination.functionName} again`);
  if (failures.length) {
    console.log(`${failures.length} batch(es) failed again and stay on ${name}:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

async function show(name: string, destination: StreamFailureDestination | undefined): Promise<void> {
  // Peek: received with no visibility timeout, so they stay where they are.
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: await urlOf(name),
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  for (const m of Messages) {
    const received = `received ${m.Attributes?.ApproximateReceiveCount ?? '?'}x`;
    if (!destination) {
      console.log(`${m.MessageId}  ${received}  ${m.Body?.slice(0, 200)}`);
      continue;
    }
    try {
      const batch = failedBatchOf(m.Body as string);
      const condition = JSON.parse(m.Body as string).requestContext?.condition ?? 'failed';
      console.log(
        `${m.MessageId}  ${received}  ${batch.batchSize} record(s) of shard ${batch.shardId}, ${batch.startSequenceNumber}…${batch.endSequenceNumber}  (${condition})`,
      );
    } catch {
      console.log(`${m.MessageId}  ${received}  ${m.Body?.slice(0, 200)}`);
    }
  }
  if (Messages.length === 0) console.log(`${name} is empty`);
}

const dlqs = await deadLetterQueues();
const streamFailures = streamFailureQueues();
const target = values.show ?? values.redrive;
if (target && !dlqs.has(target) && !streamFailures.has(target)) {
  const known = [...dlqs.keys(), ...streamFailures.keys()];
  console.error(`${target} is not a failure queue here. Failure queues: ${known.join(', ') || 'none'}`);
  process.exit(2);
}

if (values.redrive && dlqs.has(values.redrive)) await redriveDeadLetters(values.redrive, dlqs.get(values.redrive) as DeadLetterQueue);
else if (values.redrive) await redriveStreamFailures(values.redrive, streamFailures.get(values.redrive) as StreamFailureDestination);
else if (values.show) await show(values.show, streamFailures.get(values.show));
else {
  console.log(`${'failure queue'.padEnd(52)} ${'messages'.padStart(8)}  what fails into it`);
  for (const [name, { source, maxReceiveCount }] of dlqs)
    console.log(`${name.padEnd(52)} ${String(await count(name)).padStart(8)}  ${source} (${maxReceiveCount})`);
  for (const [name, { functionName, table }] of streamFailures)
    console.log(`${name.padEnd(52)} ${String(await count(name)).padStart(8)}  ${functionName}, stream of ${table} (on failure)`);
}
sqs.destroy();
