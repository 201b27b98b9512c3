/**
 * The one place the local stack reaches into the SNS/SQS/S3 emulator's internals. fauxqs reports every message
 * published, delivered, consumed or dead-lettered, and every S3 write, to its message spy; its public reader
 * (`server.spy`) only buffers them and answers queries. The trail and S3 notifications need each as it happens, so
 * this adapter wraps the spy's own intake, `addMessage`, which fauxqs keeps off its public types. If an upgrade
 * renames or drops it, the stack refuses to start with a message saying so, and
 * tools/tests/integration/messaging-spy.test.ts fails the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FauxqsServer, SpyMessage as FauxqsSpyMessage } from 'fauxqs';
import { StackError, workspaceRoot } from '#packaging';

export type MessageAttributes = Record<string, { StringValue?: string; stringValue?: string } | undefined> | undefined;

/** What the stack reads of a message the emulator recorded (fauxqs's SpyMessage, loosened to these fields). */
export interface SpyMessage {
  service: string;
  status: string;
  body?: string;
  messageAttributes?: MessageAttributes;
  topicName?: string;
  queueName?: string;
  messageId?: string;
  bucket?: string;
  key?: string;
}

export type MessageListener = (message: SpyMessage) => void;

/** The spy's intake: on the MessageSpy class behind `server.spy`, not on the MessageSpyReader type fauxqs exports. */
interface SpyIntake {
  addMessage(message: FauxqsSpyMessage): void;
}

export const INTAKE = 'addMessage';

function installedFauxqsVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(workspaceRoot, 'node_modules/fauxqs/package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'of unknown version';
  } catch {
    return 'of unknown version';
  }
}

/**
 * Calls `listener` with every message and S3 write the emulator records, right after fauxqs's own spy has it.
 * Answers how to stop listening.
 */
export function listenToMessages(server: Pick<FauxqsServer, 'spy'>, listener: MessageListener): () => void {
  const spy = server.spy as unknown as Partial<SpyIntake>;
  const intake = spy[INTAKE];
  if (typeof intake !== 'function')
    throw new StackError(
      `fauxqs ${installedFauxqsVersion()} has no spy.${INTAKE}(message), the intake the local stack listens on for every ` +
        'message and S3 write (tools/local/messaging-spy.ts)',
      'install the fauxqs version in package-lock.json (npm ci), or adapt tools/local/messaging-spy.ts to the new fauxqs',
    );
  const record = intake.bind(spy);
  spy[INTAKE] = (message) => {
    record(message);
    listener(message);
  };
  return () => {
    spy[INTAKE] = intake;
  };
}
