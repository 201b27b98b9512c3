/**
 * What happened to each event as it crossed the system, seen from the local
 * stack: published to a topic, delivered to a queue, consumed (or failed, or
 * dead-lettered). `npm run demo` and the end-to-end tests read it at
 * GET /_local/trail?correlationId=… on the gateway.
 */
const attribute = (attributes, name) => attributes?.[name]?.StringValue ?? attributes?.[name]?.stringValue;

function eventTypeOf(body, attributes) {
  const fromAttribute = attribute(attributes, 'eventType');
  if (fromAttribute) return fromAttribute;
  try {
    return JSON.parse(body)?.type;
  } catch {
    return undefined;
  }
}

export class Trail {
  #entries = [];
  #started = Date.now();

  constructor({ ownerOfQueue = () => undefined, limit = 5000 } = {}) {
    this.ownerOfQueue = ownerOfQueue;
    this.limit = limit;
  }

  add(entry) {
    this.#entries.push({ at: new Date().toISOString(), ms: Date.now() - this.#started, ...entry });
    if (this.#entries.length > this.limit) this.#entries.shift();
  }

  /** Feeds the trail from the emulator's message spy. */
  fromSpy(message) {
    const correlationId = attribute(message.messageAttributes, 'correlationId');
    if (message.service === 'sns') {
      let source;
      try {
        source = JSON.parse(message.body)?.source;
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
      const kind = { published: 'delivered', consumed: 'consumed', dlq: 'dead-lettered' }[message.status] ?? message.status;
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

  list({ correlationId, since } = {}) {
    return this.#entries.filter((e) => (!correlationId || e.correlationId === correlationId) && (!since || e.at >= since));
  }
}
