import { Trail } from '../src/stack/trail.ts';

const attributes = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));

describe('the event trail', () => {
  it('records a publish with its event type, topic, publisher and correlation id', () => {
    const trail = new Trail();

    trail.fromSpy({
      service: 'sns',
      status: 'published',
      topicName: 'orders-events',
      messageId: 'm-1',
      body: JSON.stringify({ type: 'OrderPlaced', source: 'orders' }),
      messageAttributes: attributes({ correlationId: 'c-1' }),
    });

    expect(trail.list()).toEqual([
      expect.objectContaining({
        kind: 'published',
        eventType: 'OrderPlaced',
        topic: 'orders-events',
        by: 'orders',
        correlationId: 'c-1',
        messageId: 'm-1',
      }),
    ]);
  });

  it('names queue events as the trail reads them, with the service that owns the queue', () => {
    const trail = new Trail({ ownerOfQueue: (queue) => (queue === 'inventory-events' ? 'inventory' : undefined) });
    const onQueue = (status: string) => ({
      service: 'sqs',
      status,
      queueName: 'inventory-events',
      body: '{}',
      messageAttributes: attributes({ correlationId: 'c-1', eventType: 'OrderPlaced' }),
    });

    for (const status of ['published', 'consumed', 'dlq']) trail.fromSpy(onQueue(status));

    expect(trail.list().map((e) => [e.kind, e.service, e.eventType])).toEqual([
      ['delivered', 'inventory', 'OrderPlaced'],
      ['consumed', 'inventory', 'OrderPlaced'],
      ['dead-lettered', 'inventory', 'OrderPlaced'],
    ]);
  });

  it('keeps an event type it cannot read as unknown instead of failing', () => {
    const trail = new Trail();

    trail.fromSpy({ service: 'sqs', status: 'published', queueName: 'q', body: 'not json' });

    expect(trail.list()[0]).toEqual(expect.objectContaining({ kind: 'delivered', eventType: undefined }));
  });

  it('records S3 writes by bucket and key', () => {
    const trail = new Trail();

    trail.fromSpy({ service: 's3', status: 'uploaded', bucket: 'imports', key: 'stock/today.csv' });

    expect(trail.list()).toEqual([expect.objectContaining({ kind: 's3-uploaded', bucket: 'imports', key: 'stock/today.csv' })]);
  });

  it('lists one correlation id, and only what happened since a given time', () => {
    const trail = new Trail();
    trail.add({ kind: 'invoked', correlationId: 'c-1' });
    trail.add({ kind: 'invoked', correlationId: 'c-2' });
    const [, second] = trail.list();

    expect(trail.list({ correlationId: 'c-1' })).toEqual([expect.objectContaining({ correlationId: 'c-1' })]);
    expect(trail.list({ since: '9999' })).toEqual([]);
    expect(trail.list({ since: second?.at })).toContainEqual(expect.objectContaining({ correlationId: 'c-2' }));
  });

  it('forgets the oldest entries beyond its limit', () => {
    const trail = new Trail({ limit: 2 });

    for (const correlationId of ['c-1', 'c-2', 'c-3']) trail.add({ kind: 'invoked', correlationId });

    expect(trail.list().map((e) => e.correlationId)).toEqual(['c-2', 'c-3']);
  });
});
