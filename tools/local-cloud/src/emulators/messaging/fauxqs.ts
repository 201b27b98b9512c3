import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFauxqs } from 'fauxqs';
import { LOCAL_REGION } from '../../common/aws-local.ts';
import { StackError } from '#packaging';
import type { EmulatorOptions } from '../../common/types.ts';

/**
 * fauxqs: SNS, SQS (with redrive to dead-letter queues) and S3 in this process,
 * on loopback only. S3 objects are kept on disk; topics, queues and
 * subscriptions are recreated from the templates on every start, and queue
 * contents are not kept (fauxqs reports no message events for queues it
 * reloads from disk, and the stack needs those events).
 */
export async function startMessaging({ port, dataDir, inMemory }: EmulatorOptions) {
  if (!inMemory) mkdirSync(join(dataDir, 's3'), { recursive: true });
  try {
    const server = await startFauxqs({
      port,
      host: '127.0.0.1',
      logger: false,
      defaultRegion: LOCAL_REGION,
      messageSpies: { bufferSize: 1000 },
      ...(inMemory ? {} : { s3StorageDir: join(dataDir, 's3') }),
    });
    return { server, endpoint: `http://127.0.0.1:${port}` };
  } catch (error) {
    throw new StackError(
      `the SNS/SQS/S3 emulator could not start on port ${port}: ${(error as Error).message}`,
      'free the port or use --base-port',
    );
  }
}
