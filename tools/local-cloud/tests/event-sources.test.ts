import { anSqsRecord, aStreamRecord } from '@storefront/testing';
import { recordFilter } from '../src/event-sources/event-filter.ts';
import { failedMessageIds } from '../src/event-sources/sqs-source.ts';
import { getEventListeners } from 'node:events';
import { firstFailedIndex, sleep } from '../src/event-sources/stream-source.ts';

describe('event filtering', () => {
  const outboxOnly = recordFilter({
    Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['OUTBOX_EVENT'] } } } }) }],
  });

  it('passes a record that matches the pattern', () => {
    expect(outboxOnly(aStreamRecord({ entityType: 'OUTBOX_EVENT' }))).toBe(true);
  });

  it('drops a record that differs in any field of the pattern', () => {
    expect(outboxOnly(aStreamRecord({ entityType: 'OUTBOX_EVENT' }, { eventName: 'REMOVE' }))).toBe(false);
    expect(outboxOnly(aStreamRecord({ entityType: 'ORDER' }))).toBe(false);
  });

  it('supports prefix and exists rules, and passes everything without criteria', () => {
    const pattern = recordFilter({ Filters: [{ Pattern: { body: { type: [{ prefix: 'Order' }], id: [{ exists: true }] } } }] });

    expect(pattern({ body: { type: 'OrderPlaced', id: '1' } })).toBe(true);
    expect(pattern({ body: { type: 'OrderPlaced' } })).toBe(false);
    expect(recordFilter(undefined)({ anything: true })).toBe(true);
  });
});

describe('SQS batch responses', () => {
  const records = ['a', 'b', 'c'].map((messageId) => anSqsRecord({}, { messageId }));

  it('retries only the messages the function reported', () => {
    expect(failedMessageIds(records, { ok: true, payload: { batchItemFailures: [{ itemIdentifier: 'b' }] } }, true)).toEqual(
      new Set(['b']),
    );
  });

  it('retries the whole batch when the function failed', () => {
    expect(failedMessageIds(records, { ok: false, payload: {} }, true)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('treats an answer naming an unknown message as a failed batch, as Lambda does', () => {
    expect(failedMessageIds(records, { ok: true, payload: { batchItemFailures: [{ itemIdentifier: 'zzz' }] } }, true)).toEqual(
      new Set(['a', 'b', 'c']),
    );
  });

  it('ignores batchItemFailures when the mapping does not report them', () => {
    expect(failedMessageIds(records, { ok: true, payload: { batchItemFailures: [{ itemIdentifier: 'b' }] } }, false)).toEqual(new Set());
  });
});

describe('stream batch responses', () => {
  const records = ['100', '200', '300'].map((sequenceNumber) => aStreamRecord({}, { sequenceNumber }));

  it('resumes from the earliest failed record', () => {
    const invocation = { ok: true, payload: { batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '200' }] } };

    expect(firstFailedIndex(records, invocation, true)).toBe(1);
  });

  it('treats a successful answer without failures as done', () => {
    expect(firstFailedIndex(records, { ok: true, payload: { batchItemFailures: [] } }, true)).toBe(-1);
  });

  it('retries the whole batch after an error', () => {
    expect(firstFailedIndex(records, { ok: false, payload: {} }, true)).toBe(0);
  });
});

describe("the stream poller's waits", () => {
  it('leave no listener on the stop signal once they end, however many a long run makes', async () => {
    const stopping = new AbortController();

    for (let wait = 0; wait < 20; wait++) await sleep(0, stopping.signal);

    expect(getEventListeners(stopping.signal, 'abort')).toHaveLength(0);
  });

  it('end at once when the stack stops', async () => {
    const stopping = new AbortController();
    const waiting = sleep(60_000, stopping.signal);

    stopping.abort();

    await expect(waiting).resolves.toBeUndefined();
  });
});
