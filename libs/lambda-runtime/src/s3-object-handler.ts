import type { Context, S3Event } from 'aws-lambda';
import { observeInvocation } from './invocation';

/** An object an S3 notification names, its key decoded. */
export interface S3ObjectRef {
  bucket: string;
  key: string;
}

/** S3 keys arrive URL-encoded, with spaces as '+'. */
const decodeKey = (raw: string) => decodeURIComponent(raw.replace(/\+/g, ' '));

/**
 * An S3 notification consumer: each object the event names is handed over in
 * turn. S3 invokes asynchronously, so a throw fails the whole invocation and
 * Lambda retries the event; the handler must be safe to run again on an
 * object it has seen. Logs carry the invocation's request id as correlation id.
 */
export function s3ObjectHandler(objectHandler: (object: S3ObjectRef) => Promise<void>) {
  return (event: S3Event, context: Context): Promise<void> =>
    observeInvocation(event, context, context.awsRequestId, async () => {
      for (const record of event.Records) await objectHandler({ bucket: record.s3.bucket.name, key: decodeKey(record.s3.object.key) });
    });
}
