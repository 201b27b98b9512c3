import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { ResolvedResource } from '#packaging';
import { nameFromArn } from '../common/aws-local.ts';
import type { SpyMessage } from '../emulators/messaging/messaging-spy.ts';
import type { Invoke, Log } from '../common/types.ts';

interface KeyFilter {
  S3Key?: { Rules?: { Name: string; Value: string }[] };
}

interface LambdaConfiguration {
  Event: string;
  Function: string;
  Filter?: KeyFilter;
}

function keyMatches(filter: KeyFilter | undefined, key: string): boolean {
  const rules = filter?.S3Key?.Rules ?? [];
  return rules.every(({ Name, Value }) =>
    Name.toLowerCase() === 'prefix' ? key.startsWith(Value) : Name.toLowerCase() === 'suffix' ? key.endsWith(Value) : true,
  );
}

function eventMatches(pattern: string, eventName: string): boolean {
  const [, wantedKind, wantedAction] = /^s3:([^:]+):(.+)$/.exec(pattern) ?? [];
  const [kind, action] = eventName.split(':');
  return wantedKind === kind && (wantedAction === '*' || wantedAction === action);
}

/**
 * S3 bucket notifications to Lambda, which the emulator does not send itself:
 * every object written to a bucket whose template declares LambdaConfigurations
 * invokes the matching functions asynchronously (two retries on error, as on AWS).
 */
export interface S3NotificationOptions {
  buckets: Pick<ResolvedResource, 'name' | 'properties'>[];
  s3: S3Client;
  invoke: Invoke;
  region: string;
  log: Log;
}

export function s3NotificationHandler({ buckets, s3, invoke, region, log }: S3NotificationOptions): (message: SpyMessage) => void {
  const targets = buckets.flatMap(({ name, properties }) =>
    ((properties.NotificationConfiguration?.LambdaConfigurations ?? []) as LambdaConfiguration[]).map((config) => ({
      bucket: name,
      ...config,
    })),
  );
  if (targets.length === 0) return () => undefined;

  const deliver = async (bucket: string, key: string) => {
    const eventName = 'ObjectCreated:Put';
    const matching = targets.filter((t) => t.bucket === bucket && eventMatches(t.Event, eventName) && keyMatches(t.Filter, key));
    if (matching.length === 0) return;
    const head: Partial<HeadObjectCommandOutput> = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(() => ({}));
    const event = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: region,
          eventTime: new Date().toISOString(),
          eventName,
          s3: {
            s3SchemaVersion: '1.0',
            bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
            object: {
              key: encodeURIComponent(key).replaceAll('%2F', '/'),
              size: head.ContentLength ?? 0,
              eTag: String(head.ETag ?? '').replaceAll('"', ''),
            },
          },
        },
      ],
    };
    for (const target of matching) {
      const functionName = nameFromArn(target.Function);
      for (let attempt = 1; attempt <= 3; attempt++) {
        const result = await invoke(functionName, event);
        if (result.ok) break;
        log(`${functionName}: S3 event for ${bucket}/${key} failed (attempt ${attempt} of 3)`);
        if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      }
    }
  };

  return (message) => {
    if (message.service === 's3' && (message.status === 'uploaded' || message.status === 'copied')) {
      deliver(message.bucket as string, message.key as string).catch((error: Error) =>
        log(`S3 notification for ${message.bucket}/${message.key} failed: ${error.message}`),
      );
    }
  };
}
