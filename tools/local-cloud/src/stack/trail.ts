/**
 * What happened to each event as it crossed the system, seen from the local
 * stack: published to a topic, delivered to a queue, consumed (or failed, or
 * dead-lettered). `npm run demo` and the end-to-end tests read it at
 * GET /_local/trail?correlationId=… on the gateway.
 */
import type { MessageAttributes, SpyMessage } from '../emulators/messaging/messaging-spy.ts';

/** One thing that happened to an event. */
export interface TrailEntry {
  kind: string;
  correlationId?: string | undefined;
  [field: string]: unknown;
}

/** An entry as the trail keeps it: with when it happened, as ISO time and ms since the stack started. */
export type RecordedEntry = TrailEntry & { at: string; ms: number };

const attribute = (attributes: MessageAttributes, name: string) => attributes?.[name]?.StringValue ?? attributes?.[name]?.stringValue;

function eventTypeOf(body: string | undefined, attributes: MessageAttributes): string | undefined {
  const fromAttribute = attribute(attributes, 'eventType');
  if (fromAttribute) return fromAttribute;
  try {
    return JSON.parse(body as string)?.type;
  } catch {
    return undefined;
  }
}

export class Trail {
  #entries: RecordedEntry[] = [];
  #started = Date.now();
  readonly ownerOfQueue: (queueName: string | undefined) => string | undefined;
  readonly limit: number;

  constructor({
    ownerOfQueue = () => undefined,
    limit = 5000,
  }: { ownerOfQueue?: (queueName: string | undefined) => string | undefined; limit?: number } = {}) {
    this.ownerOfQueue = ownerOfQueue;
    this.limit = limit;
  }

  add(entry: TrailEntry): void {
    this.#entries.push({ at: new Date().toISOString(), ms: Date.now() - this.#started, ...entry });
    if (this.#entries.length > this.limit) this.#entries.shift();
  }

  /** Feeds the trail from the emulator's message spy (see messaging-spy.ts). */
  fromSpy(message: SpyMessage): void {
    const correlationId = attribute(message.messageAttributes, 'correlationId');
    if (message.service === 'sns') {
      let source: unknown;
      try {
        source = JSON.parse(message.body as string)?.source;
      } catch {
        source = undefined;
      }
      this.add({
        kind: 'published',
        eventType: eventTypeOf(message.body, message.messageAttributes),
        topic: message.topicName,
        by: source,
        correlationId,
        messageId: message.messageId,
      });
    } else if (message.service === 'sqs') {
      const kinds: Record<string, string> = { published: 'delivered', consumed: 'consumed', dlq: 'dead-lettered' };
      const kind = kinds[message.status] ?? message.status;
      this.add({
        kind,
        eventType: eventTypeOf(message.body, message.messageAttributes),
        queue: message.queueName,
        service: this.ownerOfQueue(message.queueName),
        correlationId,
        messageId: message.messageId,
      });
    } else if (message.service === 's3') {
      this.add({ kind: `s3-${message.status}`, bucket: message.bucket, key: message.key });
    }
  }

  list({ correlationId, since }: { correlationId?: string | undefined; since?: string | undefined } = {}): RecordedEntry[] {
    return this.#entries.filter((e) => (!correlationId || e.correlationId === correlationId) && (!since || e.at >= since));
  }
}
