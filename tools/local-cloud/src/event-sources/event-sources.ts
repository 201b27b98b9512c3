/** What Lambda does between an event source and a function, for every event source mapping in the templates. */
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION } from '../common/aws-local.ts';
import { startSqsSource } from './sqs-source.ts';
import { Checkpoints, startStreamSource } from './stream-source.ts';
import type { Trail } from '../stack/trail.ts';
import type { DescribedService, EventSourceMapping, Invoke, Log } from '../common/types.ts';

interface BatchRecord {
  messageAttributes?: { correlationId?: { stringValue?: string } };
  dynamodb?: { NewImage?: { event?: { M?: { correlationId?: { S?: string } } } } };
}

/** The correlation ids an event source batch carries: SQS message attributes, or the event inside a stream record. */
function correlationIdsOf(event: { Records?: unknown[] }): Set<string | undefined> {
  const ids = new Set<string | undefined>();
  for (const record of (event.Records ?? []) as BatchRecord[]) {
    ids.add(record.messageAttributes?.correlationId?.stringValue ?? record.dynamodb?.NewImage?.event?.M?.correlationId?.S);
  }
  return ids.size ? ids : new Set([undefined]);
}

/** Starts a poller per enabled mapping; answers a function that stops them all. */
export interface EventSourcesOptions {
  described: DescribedService[];
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient };
  dynamoEndpoint: string;
  invoke: Invoke;
  trail: Trail;
  stateDir: string;
  log: Log;
  /** Invocations one function runs at once locally: no SQS mapping polls more batches than that. */
  maxInFlight?: number;
}

export function startEventSources({
  described,
  clients,
  dynamoEndpoint,
  invoke,
  trail,
  stateDir,
  log,
  maxInFlight,
}: EventSourcesOptions): () => Promise<void> {
  const abort = new AbortController();
  const checkpoints = new Checkpoints(join(stateDir, 'stream-checkpoints.json'));
  const traced =
    (service: string): Invoke =>
    async (functionName, event) => {
      const result = await invoke(functionName, event);
      for (const correlationId of correlationIdsOf(event)) {
        trail.add({
          kind: result.ok ? 'invoked' : 'invocation-failed',
          service,
          function: functionName,
          records: event.Records?.length,
          correlationId,
        });
      }
      return result;
    };
  const pollers: Promise<void>[] = [];
  for (const { service, template } of described) {
    for (const { properties } of template.resources.filter((r) => r.type === 'AWS::Lambda::EventSourceMapping')) {
      const mapping = properties as EventSourceMapping;
      if (mapping.Enabled === false) continue;
      const source = String(mapping.EventSourceArn);
      const context = { mapping, invoke: traced(service.name), region: LOCAL_REGION, log, signal: abort.signal };
      if (source.startsWith('arn:aws:sqs:')) pollers.push(startSqsSource({ ...context, sqs: clients.sqs, maxInFlight }));
      else if (source.includes(':dynamodb:'))
        pollers.push(startStreamSource({ ...context, clients, streamsEndpoint: dynamoEndpoint, checkpoints }));
      else log(`  ${service.name}: event source ${source} is not emulated locally`);
    }
  }
  return async () => {
    abort.abort();
    await Promise.allSettled(pollers);
  };
}
