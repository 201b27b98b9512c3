import { join } from 'node:path';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@storefront/dynamodb';
import { anOrderReserved, createTableFromResource, emptyDynamoDbLocal, type DynamoDbLocal, aCaller } from '@storefront/testing';
import { DynamoDbPaymentsRepository } from '../../src/adapters/dynamodb-payments-repository';
import { capture, fail, pendingPayment, refund } from '../../src/domain/payment';
import { PaymentsService } from '../../src/domain/payments-service';
import { FakeProvider, FakeWorkflow } from '../support/in-memory-payments';

/** Reads here are the operator's: any order's payment. */
const anOperator = aCaller({ admin: true });

let dynamo: DynamoDbLocal;
let documents: DynamoDBDocumentClient;
let tables = 0;

beforeAll(async () => {
  dynamo = await emptyDynamoDbLocal();
  documents = createDocumentClient(dynamo.client);
});

afterAll(async () => {
  await dynamo?.stop();
});

const AT = new Date('2026-03-01T10:05:00.000Z');
const events = { now: () => AT, newId: () => `evt-${++tables}-${Math.random()}`, correlationId: 'corr-1' };

async function freshPayments() {
  const tableName = `payments-it-${++tables}`;
  await createTableFromResource(dynamo.client, join(import.meta.dirname, '../../resources/payments.yml'), 'PaymentsTable', tableName);
  const repository = new DynamoDbPaymentsRepository(documents, tableName);
  const outbox = async () =>
    ((await documents.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [])
      .filter((item) => item.entityType === 'OUTBOX_EVENT')
      .map((item) => item.event as { type: string; data: Record<string, unknown> });
  return { repository, outbox };
}

const pending = (orderId = 'o-1') => pendingPayment(anOrderReserved({ data: { orderId } }), AT);

describe('DynamoDbPaymentsRepository on DynamoDB Local', () => {
  it('stores a payment once, and tells the second writer what is there', async () => {
    const { repository } = await freshPayments();

    const first = await repository.createPending(pending());
    const again = await repository.createPending({ ...pending(), amount: 1 });

    expect(first).toEqual({ created: true });
    expect(again).toEqual({ created: false, existing: pending() });
  });

  it('keeps the marker of an order withdrawn before it was reserved, and refuses its payment then', async () => {
    const { repository } = await freshPayments();

    const marked = [
      await repository.markWithdrawnBeforeReserved('o-1', AT.toISOString()),
      await repository.markWithdrawnBeforeReserved('o-1', AT.toISOString()),
    ];
    const created = await repository.createPending(pending());

    expect(marked).toEqual([true, false]);
    expect(created).toEqual({ created: false, existing: 'withdrawn-before-reserved' });
    expect(await repository.find('o-1')).toBe('withdrawn-before-reserved');
  });

  it('counts every attempt, concurrent ones too, while the payment is PENDING and not asked to stop', async () => {
    const { repository } = await freshPayments();
    await repository.createPending(pending());

    const counted = await Promise.all(Array.from({ length: 5 }, () => repository.countChargeAttempt('o-1', AT.toISOString())));
    await repository.requestCancel('o-1', AT.toISOString());
    const afterCancel = await repository.countChargeAttempt('o-1', AT.toISOString());

    expect(counted.map((p) => p?.attempts).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(afterCancel).toBeUndefined();
    expect(await repository.find('o-1')).toMatchObject({ attempts: 5, cancelRequestedAt: AT.toISOString() });
  });

  it('records the PaymentIntent on a PENDING payment once: the same one again is fine, another one or a settled payment is refused', async () => {
    const { repository } = await freshPayments();
    await repository.createPending(pending());
    await repository.requestCancel('o-1', AT.toISOString());

    const recorded = await repository.recordPaymentIntent('o-1', 'pi_1', AT.toISOString());
    const again = await repository.recordPaymentIntent('o-1', 'pi_1', AT.toISOString());
    const another = await repository.recordPaymentIntent('o-1', 'pi_2', AT.toISOString());
    await repository.settle(fail(pending(), { reason: 'CANCELLED' }, events), { from: 'PENDING' });
    const settled = await repository.recordPaymentIntent('o-1', 'pi_1', AT.toISOString());

    expect(recorded).toMatchObject({ orderId: 'o-1', status: 'PENDING', providerReference: 'pi_1', cancelRequestedAt: AT.toISOString() });
    expect(again).toEqual(recorded);
    expect([another, settled]).toEqual([undefined, undefined]);
    expect(await repository.recordPaymentIntent('o-unknown', 'pi_1', AT.toISOString())).toBeUndefined();
  });

  it('writes a settlement and its event together, and neither when the status moved on', async () => {
    const { repository, outbox } = await freshPayments();
    await repository.createPending(pending());

    const captured = await repository.settle(capture(pending(), 'pi_1', events), { from: 'PENDING', notCancelled: true });
    const failedLate = await repository.settle(fail(pending(), { reason: 'DECLINED', detail: 'generic_decline' }, events), {
      from: 'PENDING',
    });

    expect([captured, failedLate]).toEqual([true, false]);
    expect(await repository.find('o-1')).toMatchObject({ status: 'CAPTURED', providerReference: 'pi_1' });
    expect((await outbox()).map((event) => event.type)).toEqual(['PaymentCaptured']);
  });

  it('refuses to record a capture once a cancel was requested, and records the refund instead', async () => {
    const { repository, outbox } = await freshPayments();
    await repository.createPending(pending());
    await repository.requestCancel('o-1', AT.toISOString());

    const captured = await repository.settle(capture(pending(), 'pi_1', events), { from: 'PENDING', notCancelled: true });
    const refunded = await repository.settle(refund(pending(), { providerReference: 'pi_1', refundReference: 're_1' }, events), {
      from: 'PENDING',
    });

    expect([captured, refunded]).toEqual([false, true]);
    expect(await repository.find('o-1')).toMatchObject({ status: 'REFUNDED', providerReference: 'pi_1', refundReference: 're_1' });
    expect((await outbox()).map((event) => event.type)).toEqual(['PaymentRefunded']);
  });

  it('asks only a PENDING payment to stop', async () => {
    const { repository } = await freshPayments();
    await repository.createPending(pending());
    await repository.settle(fail(pending(), { reason: 'DECLINED' }, events), { from: 'PENDING' });

    expect(await repository.requestCancel('o-1', AT.toISOString())).toBe(false);
    expect(await repository.requestCancel('o-unknown', AT.toISOString())).toBe(false);
  });

  it('takes a payment through the service from reserved to captured, one event per change, on the real table', async () => {
    const { repository, outbox } = await freshPayments();
    const service = new PaymentsService({
      repository,
      provider: new FakeProvider(),
      workflow: new FakeWorkflow(),
      now: () => AT,
      newId: events.newId,
    });
    const reserved = anOrderReserved({ data: { orderId: 'o-7' } });

    await service.onOrderReserved(reserved);
    const charge = await service.charge({ orderId: 'o-7', correlationId: 'corr-1' });
    const recorded = await Promise.all([
      service.recordOutcome({ orderId: 'o-7', correlationId: 'corr-1', charge }),
      service.recordOutcome({ orderId: 'o-7', correlationId: 'corr-1', charge }),
    ]);

    expect(recorded.map((r) => r.payment.status)).toEqual(['CAPTURED', 'CAPTURED']);
    expect(await service.get(anOperator, 'o-7')).toMatchObject({ status: 'CAPTURED', attempts: 1, providerReference: 'pi_o-7' });
    expect((await outbox()).map((event) => [event.type, event.data.orderId])).toEqual([['PaymentCaptured', 'o-7']]);
  });
});
