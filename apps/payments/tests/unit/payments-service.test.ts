import { PaymentEvent, parseWith, type CheckoutInput, type RecordOutcomeInput } from '@storefront/contracts';
import { anOrderCancelled, anOrderRejected, anOrderReserved } from '@storefront/testing';
import { PaymentNotFoundError, PaymentNotPendingError, ProviderUnavailableError } from '../../src/domain/errors';
import { pendingPayment } from '../../src/domain/payment';
import { PaymentsService } from '../../src/domain/payments-service';
import { FakeProvider, FakeWorkflow, InMemoryPaymentsRepository } from '../support/in-memory-payments';

const NOW = new Date('2026-03-01T10:05:00.000Z');

function paymentsService() {
  const repository = new InMemoryPaymentsRepository();
  const provider = new FakeProvider();
  const workflow = new FakeWorkflow();
  let ids = 0;
  const service = new PaymentsService({ repository, provider, workflow, now: () => NOW, newId: () => `evt-${++ids}` });
  return { service, repository, provider, workflow };
}

/**
 * One execution of the checkout state machine as its definition chains the tasks: ChargePayment's result at
 * $.charge, or, when it fails, `{outcome: unavailable, error: <name>}` from the Catch path; then RecordPaymentOutcome.
 */
async function runExecution(service: PaymentsService, input: CheckoutInput) {
  let charge: RecordOutcomeInput['charge'];
  try {
    charge = await service.charge(input);
  } catch (error) {
    charge = { outcome: 'unavailable', error: (error as Error).name };
  }
  return service.recordOutcome({ ...input, charge });
}

const reserved = (orderId = 'o-1') =>
  anOrderReserved({ correlationId: 'corr-7', data: { orderId, amount: 2500, currency: 'EUR', paymentMethod: 'pm_card_visa' } });

describe('an order reserved for payment', () => {
  it('records its payment PENDING and starts one checkout execution named by the order', async () => {
    const { service, repository, workflow } = paymentsService();

    const outcome = await service.onOrderReserved(reserved());

    expect(outcome).toBe('started');
    expect(repository.payment('o-1')).toMatchObject({
      status: 'PENDING',
      amount: 2500,
      currency: 'EUR',
      paymentMethod: 'pm_card_visa',
      attempts: 0,
    });
    expect([...workflow.executions]).toEqual([['o-1', { orderId: 'o-1', correlationId: 'corr-7' }]]);
  });

  it('starts no second execution and makes no second charge when its OrderReserved is delivered again', async () => {
    const { service, provider, workflow } = paymentsService();
    const event = reserved();

    const outcomes = [await service.onOrderReserved(event), await service.onOrderReserved(event)];
    for (const input of workflow.executions.values()) await runExecution(service, input);

    expect(outcomes).toEqual(['started', 'already-started']);
    expect(workflow.starts).toHaveLength(2);
    expect(workflow.executions.size).toBe(1);
    expect(provider.charges).toEqual([{ idempotencyKey: 'checkout-o-1', amount: 2500, currency: 'EUR', paymentMethod: 'pm_card_visa' }]);
  });

  it('starts the execution on redelivery when the first delivery stored the payment but never started it', async () => {
    const { service, repository, workflow } = paymentsService();
    await repository.createPending(pendingPayment(reserved(), NOW));

    const outcome = await service.onOrderReserved(reserved());

    expect(outcome).toBe('started');
    expect(workflow.executions.has('o-1')).toBe(true);
  });

  it('starts nothing for an order whose payment is settled already', async () => {
    const { service, workflow } = paymentsService();
    await service.onOrderReserved(reserved());
    await runExecution(service, { orderId: 'o-1', correlationId: 'corr-7' });
    workflow.starts.length = 0;

    const outcome = await service.onOrderReserved(reserved());

    expect(outcome).toBe('already-settled');
    expect(workflow.starts).toEqual([]);
  });

  it('starts nothing, and records no payment, for an order cancelled before it was reserved', async () => {
    const { service, repository, workflow } = paymentsService();
    await service.onOrderWithdrawn(anOrderCancelled({ data: { orderId: 'o-1', previousStatus: 'PENDING' } }));

    const outcome = await service.onOrderReserved(reserved());

    expect(outcome).toBe('withdrawn-before-reserved');
    expect(workflow.starts).toEqual([]);
    await expect(service.get('o-1')).rejects.toBeInstanceOf(PaymentNotFoundError);
    expect(repository.events).toEqual([]);
  });
});

describe('the checkout workflow', () => {
  async function reservedAndCharged(answer: FakeProvider['answer']) {
    const context = paymentsService();
    context.provider.answer = answer;
    await context.service.onOrderReserved(reserved());
    const recorded = await runExecution(context.service, { orderId: 'o-1', correlationId: 'corr-7' });
    return { ...context, recorded };
  }

  it('captures a payment the provider accepts, and publishes PaymentCaptured with the same write', async () => {
    const { repository, recorded } = await reservedAndCharged(async () => ({ outcome: 'captured', providerReference: 'pi_9' }));

    expect(recorded).toEqual({ payment: { orderId: 'o-1', status: 'CAPTURED' }, event: 'PaymentCaptured' });
    expect(repository.payment('o-1')).toMatchObject({ status: 'CAPTURED', providerReference: 'pi_9', attempts: 1 });
    expect(repository.events).toEqual([
      {
        id: 'evt-1',
        type: 'PaymentCaptured',
        version: 1,
        occurredAt: NOW.toISOString(),
        source: 'storefront.payments',
        correlationId: 'corr-7',
        data: { orderId: 'o-1', amount: 2500, currency: 'EUR', providerReference: 'pi_9' },
      },
    ]);
  });

  it('fails a declined payment with the decline code, and publishes PaymentFailed', async () => {
    const { repository, recorded } = await reservedAndCharged(async () => ({
      outcome: 'declined',
      declineCode: 'insufficient_funds',
      providerReference: 'pi_3',
    }));

    expect(recorded.payment).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'DECLINED' });
    expect(repository.payment('o-1')).toMatchObject({
      failureReason: 'DECLINED',
      failureDetail: 'insufficient_funds',
      providerReference: 'pi_3',
    });
    expect(repository.events.map((e) => [e.type, e.data])).toEqual([
      [
        'PaymentFailed',
        { orderId: 'o-1', amount: 2500, currency: 'EUR', reason: 'DECLINED', detail: 'insufficient_funds', providerReference: 'pi_3' },
      ],
    ]);
  });

  it('fails the payment as PROVIDER_UNAVAILABLE, naming the last error, when charging never got through', async () => {
    const { repository, recorded } = await reservedAndCharged(async () => {
      throw new ProviderUnavailableError('503');
    });

    expect(recorded.payment).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'PROVIDER_UNAVAILABLE' });
    expect(repository.events[0]?.data).toMatchObject({ reason: 'PROVIDER_UNAVAILABLE', detail: 'ProviderUnavailableError' });
  });

  it('counts every call to the provider on the payment, retries included', async () => {
    const { service, repository, provider } = paymentsService();
    let calls = 0;
    provider.answer = async () => {
      if (++calls < 3) throw new ProviderUnavailableError('503');
      return { outcome: 'captured', providerReference: 'pi_1' };
    };
    await service.onOrderReserved(reserved());

    for (let attempt = 1; attempt <= 3; attempt++) await service.charge({ orderId: 'o-1', correlationId: 'corr-7' }).catch(() => undefined);

    expect(repository.payment('o-1')?.attempts).toBe(3);
    expect(provider.charges.map((c) => c.idempotencyKey)).toEqual(['checkout-o-1', 'checkout-o-1', 'checkout-o-1']);
  });

  it('publishes one event however often the outcome is recorded', async () => {
    const { service, repository } = await reservedAndCharged(async () => ({ outcome: 'captured', providerReference: 'pi_1' }));

    const again = await service.recordOutcome({
      orderId: 'o-1',
      correlationId: 'corr-7',
      charge: { outcome: 'captured', providerReference: 'pi_1' },
    });

    expect(again).toEqual({ payment: { orderId: 'o-1', status: 'CAPTURED' } });
    expect(repository.events).toHaveLength(1);
  });

  it('refuses to charge a payment that is settled already', async () => {
    const { service } = await reservedAndCharged(async () => ({ outcome: 'captured', providerReference: 'pi_1' }));

    await expect(service.charge({ orderId: 'o-1', correlationId: 'corr-7' })).rejects.toBeInstanceOf(PaymentNotPendingError);
  });

  it('writes only events the payments contract accepts', async () => {
    const outcomes = await Promise.all([
      reservedAndCharged(async () => ({ outcome: 'captured', providerReference: 'pi_1' })),
      reservedAndCharged(async () => ({ outcome: 'declined' })),
    ]);

    for (const { repository } of outcomes)
      for (const event of repository.events)
        expect(parseWith(PaymentEvent, JSON.parse(JSON.stringify(event)))).toMatchObject({ success: true });
  });
});

describe('an order cancelled while its payment is under way', () => {
  const cancelled = (orderId = 'o-1') => anOrderCancelled({ correlationId: 'corr-8', data: { orderId, previousStatus: 'RESERVED' } });

  it('is not charged when the cancel arrives before the charge: the payment fails as CANCELLED', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());

    const withdrawn = await service.onOrderWithdrawn(cancelled());
    const recorded = await runExecution(service, { orderId: 'o-1', correlationId: 'corr-7' });

    expect(withdrawn).toBe('cancel-requested');
    expect(provider.charges).toEqual([]);
    expect(recorded.payment).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'CANCELLED' });
    expect(repository.payment('o-1')?.attempts).toBe(0);
    expect(repository.events.map((e) => [e.type, e.data])).toEqual([
      ['PaymentFailed', { orderId: 'o-1', amount: 2500, currency: 'EUR', reason: 'CANCELLED' }],
    ]);
  });

  it('is refunded when the cancel arrives between the charge and its recording', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    const charge = await service.charge({ orderId: 'o-1', correlationId: 'corr-7' });

    await service.onOrderWithdrawn(cancelled());
    const recorded = await service.recordOutcome({ orderId: 'o-1', correlationId: 'corr-7', charge });

    expect(recorded).toEqual({ payment: { orderId: 'o-1', status: 'REFUNDED' }, event: 'PaymentRefunded' });
    expect(provider.refunds).toEqual([{ idempotencyKey: 'refund-o-1', providerReference: 'pi_1' }]);
    expect(repository.events.map((e) => [e.type, e.data])).toEqual([
      ['PaymentRefunded', { orderId: 'o-1', amount: 2500, currency: 'EUR', providerReference: 'pi_1', refundReference: 're_1' }],
    ]);
  });

  it('is refunded, once, when the cancel arrives after the capture was recorded', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    await runExecution(service, { orderId: 'o-1', correlationId: 'corr-7' });

    const outcomes = [await service.onOrderWithdrawn(cancelled()), await service.onOrderWithdrawn(cancelled())];

    expect(outcomes).toEqual(['refunded', 'nothing-to-undo']);
    expect(provider.refunds).toHaveLength(1);
    expect(repository.payment('o-1')).toMatchObject({ status: 'REFUNDED', providerReference: 'pi_1', refundReference: 're_1' });
    expect(repository.events.map((e) => e.type)).toEqual(['PaymentCaptured', 'PaymentRefunded']);
  });

  it('changes nothing for a payment that failed', async () => {
    const { service, provider } = paymentsService();
    provider.answer = async () => ({ outcome: 'declined', declineCode: 'generic_decline' });
    await service.onOrderReserved(reserved());
    await runExecution(service, { orderId: 'o-1', correlationId: 'corr-7' });

    expect(await service.onOrderWithdrawn(cancelled())).toBe('nothing-to-undo');
    expect(provider.refunds).toEqual([]);
  });

  it('leaves a marker, once, for an order rejected before payments heard of it', async () => {
    const { service, repository } = paymentsService();
    const rejected = anOrderRejected({ data: { orderId: 'o-2' } });

    const outcomes = [await service.onOrderWithdrawn(rejected), await service.onOrderWithdrawn(rejected)];

    expect(outcomes).toEqual(['marked-before-reserved', 'already-withdrawn']);
    expect(repository.stored.get('o-2')).toBe('withdrawn-before-reserved');
  });
});

describe('reading a payment', () => {
  it('shows status, amount, provider reference and attempts, not the payment method', async () => {
    const { service } = paymentsService();
    await service.onOrderReserved(reserved());
    await runExecution(service, { orderId: 'o-1', correlationId: 'corr-7' });

    const payment = await service.get('o-1');

    expect(payment).toEqual({
      orderId: 'o-1',
      status: 'CAPTURED',
      amount: 2500,
      currency: 'EUR',
      providerReference: 'pi_1',
      attempts: 1,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
  });

  it('refuses an order it has no payment for', async () => {
    await expect(paymentsService().service.get('o-unknown')).rejects.toBeInstanceOf(PaymentNotFoundError);
  });
});
