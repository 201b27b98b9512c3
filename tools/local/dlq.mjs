#!/usr/bin/env node
/**
 * `npm run dlq`: the dead-letter queues of the running local stack.
 *   npm run dlq                      every DLQ, how many messages it holds, and the queue it serves
 *   npm run dlq -- --show <dlq>      its messages (body, how often they were received)
 *   npm run dlq -- --redrive <dlq>   move its messages back to the queue they came from, to be retried
 *   --base-port <n>                  the stack's base port (default 4000, or STOREFRONT_BASE_PORT)
 * On AWS the same move is `aws sqs start-message-move-task --source-arn <dlq-arn>`.
 */
import { parseArgs } from 'node:util';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws-local.mjs';

const { values } = parseArgs({
  options: {
    'base-port': { type: 'string', default: process.env.STOREFRONT_BASE_PORT ?? '4000' },
    show: { type: 'string' },
    redrive: { type: 'string' },
  },
});
const endpoint = `http://127.0.0.1:${Number(values['base-port']) + 2}`;
const sqs = new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
const nameOf = (urlOrArn) => String(urlOrArn).split(/[/:]/).at(-1);

/** Every queue with a redrive policy, keyed by the dead-letter queue it names. */
async function deadLetterQueues() {
  let urls;
  try {
    ({ QueueUrls: urls = [] } = await sqs.send(new ListQueuesCommand({ MaxResults: 1000 })));
  } catch {
    console.error(`Nothing answers at ${endpoint}. Start the system first with \`npm start\` (or pass --base-port).`);
    process.exit(1);
  }
  const dlqs = new Map();
  for (const url of urls) {
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }));
    if (!Attributes.RedrivePolicy) continue;
    const policy = JSON.parse(Attributes.RedrivePolicy);
    dlqs.set(nameOf(policy.deadLetterTargetArn), { source: nameOf(url), maxReceiveCount: policy.maxReceiveCount });
  }
  return dlqs;
}

async function urlOf(name) {
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
}

async function count(name) {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: await urlOf(name), AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
}

/** Takes every message off a queue, a batch at a time, handing each batch to `use` before deleting it. */
async function drain(name, use) {
  const url = await urlOf(name);
  let moved = 0;
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
    if (Messages.length === 0) return moved;
    await use(Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    moved += Messages.length;
  }
}

const dlqs = await deadLetterQueues();
const target = values.show ?? values.redrive;
if (target && !dlqs.has(target)) {
  console.error(`${target} is not a dead-letter queue here. Dead-letter queues: ${[...dlqs.keys()].join(', ') || 'none'}`);
  process.exit(2);
}

if (values.redrive) {
  const sourceUrl = await urlOf(dlqs.get(values.redrive).source);
  const moved = await drain(values.redrive, (messages) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body,
          ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
        })),
      }),
    ),
  );
  console.log(`moved ${moved} message(s) from ${values.redrive} back to ${dlqs.get(values.redrive).source}`);
} else if (values.show) {
  // Peek: received with no visibility timeout, so they stay where they are.
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: await urlOf(values.show),
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  for (const m of Messages)
    console.log(`${m.MessageId}  received ${m.Attributes?.ApproximateReceiveCount ?? '?'}x  ${m.Body?.slice(0, 200)}`);
  if (Messages.length === 0) console.log(`${values.show} is empty`);
} else {
  console.log(`${'dead-letter queue'.padEnd(52)} ${'messages'.padStart(8)}  serves (after N receives)`);
  for (const [name, { source, maxReceiveCount }] of dlqs)
    console.log(`${name.padEnd(52)} ${String(await count(name)).padStart(8)}  ${source} (${maxReceiveCount})`);
}
sqs.destroy();
