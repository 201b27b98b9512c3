import { PaymentEvent, parseWith } from '@storefront/contracts';
import { anOrderCancelled, anOrderRejected, aCaller } from '@storefront/testing';
import { PaymentNotFoundError, PaymentNotPendingError, ProviderTimeoutError, ProviderUnavailableError } from '../../src/domain/errors';
import { pendingPayment } from '../../src/domain/payment';
import { cancelled, checkout, NOW, paymentsService, reserved, runExecution } from '../support/checkout-harness';
import type { FakeProvider } from '../support/in-memory-payments';

/** Reads here are the operator's: any order's payment. */
const anOperator = aCaller({ admin: true });

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
    expect(provider.calls).toEqual(['create checkout-o-1', 'confirm confirm-o-1']);
    expect([...provider.intents.values()]).toEqual([{ orderId: 'o-1', amount: 2500, currency: 'EUR', status: 'succeeded' }]);
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
    await runExecution(service, checkout);
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
    await expect(service.get(anOperator, 'o-1')).rejects.toBeInstanceOf(PaymentNotFoundError);
    expect(repository.events).toEqual([]);
  });
});

describe('the checkout workflow', () => {
  async function reservedAndCharged(answer?: FakeProvider['answer']) {
    const context = paymentsService();
    if (answer) context.provider.answer = answer;
    await context.service.onOrderReserved(reserved());
    const recorded = await runExecution(context.service, checkout);
    return { ...context, recorded };
  }

  it('captures a payment the provider accepts, and publishes PaymentCaptured with the same write', async () => {
    const { repository, recorded } = await reservedAndCharged();

    expect(recorded).toEqual({ payment: { orderId: 'o-1', status: 'CAPTURED' }, event: 'PaymentCaptured' });
    expect(repository.payment('o-1')).toMatchObject({ status: 'CAPTURED', providerReference: 'pi_o-1', attempts: 1 });
    expect(repository.events).toEqual([
      {
        id: 'evt-1',
        type: 'PaymentCaptured',
        version: 1,
        occurredAt: NOW.toISOString(),
        source: 'storefront.payments',
        correlationId: 'corr-7',
        data: { orderId: 'o-1', amount: 2500, currency: 'EUR', providerReference: 'pi_o-1' },
      },
    ]);
  });

  it('fails a declined payment with the decline code, and publishes PaymentFailed', async () => {
    const { repository, recorded } = await reservedAndCharged(async (providerReference) => ({
      outcome: 'declined',
      declineCode: 'insufficient_funds',
      providerReference,
    }));

    expect(recorded.payment).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'DECLINED' });
    expect(repository.payment('o-1')).toMatchObject({
      failureReason: 'DECLINED',
      failureDetail: 'insufficient_funds',
      providerReference: 'pi_o-1',
    });
    expect(repository.events.map((e) => [e.type, e.data])).toEqual([
      [
        'PaymentFailed',
        { orderId: 'o-1', amount: 2500, currency: 'EUR', reason: 'DECLINED', detail: 'insufficient_funds', providerReference: 'pi_o-1' },
      ],
    ]);
  });

  it('counts every charge attempt on the payment, retries included', async () => {
    const { service, repository, provider } = paymentsService();
    let confirms = 0;
    provider.answer = async (providerReference) => {
      if (++confirms < 3) throw new ProviderUnavailableError('503');
      return { outcome: 'captured', providerReference };
    };
    await service.onOrderReserved(reserved());

    for (let attempt = 1; attempt <= 3; attempt++) await service.charge(checkout).catch(() => undefined);

    expect(repository.payment('o-1')?.attempts).toBe(3);
  });

  it('publishes one event however often the outcome is recorded', async () => {
    const { service, repository } = await reservedAndCharged();

    const again = await service.recordOutcome({ ...checkout, charge: { outcome: 'captured', providerReference: 'pi_o-1' } });

    expect(again).toEqual({ payment: { orderId: 'o-1', status: 'CAPTURED' } });
    expect(repository.events).toHaveLength(1);
  });

  it('refuses to charge a payment that is settled already', async () => {
    const { service } = await reservedAndCharged();

    await expect(service.charge(checkout)).rejects.toBeInstanceOf(PaymentNotPendingError);
  });

  it('writes only events the payments contract accepts', async () => {
    const outcomes = await Promise.all([reservedAndCharged(), reservedAndCharged(async () => ({ outcome: 'declined' }))]);

    for (const { repository } of outcomes)
      for (const event of repository.events)
        expect(parseWith(PaymentEvent, JSON.parse(JSON.stringify(event)))).toMatchObject({ success: true });
  });
});

describe('charging in two steps: create the PaymentIntent, record it, confirm it', () => {
  it('records the intent on the payment before it confirms it, so a lost answer can always be looked up', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    let recordedWhenConfirmed: string | undefined;
    provider.answer = async (providerReference) => {
      recordedWhenConfirmed = repository.payment('o-1')?.providerReference;
      return { outcome: 'captured', providerReference };
    };

    const charge = await service.charge(checkout);

    expect(charge).toEqual({ outcome: 'captured', providerReference: 'pi_o-1' });
    expect(provider.calls).toEqual(['create checkout-o-1', 'confirm confirm-o-1']);
    expect(recordedWhenConfirmed).toBe('pi_o-1');
    expect(repository.payment('o-1')).toMatchObject({ status: 'PENDING', providerReference: 'pi_o-1' });
  });

  it('confirms the recorded intent again on a retry, creating no second one', async () => {
    const { service, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    provider.confirmFailure = { error: new ProviderUnavailableError('503'), afterCharging: false };
    await expect(service.charge(checkout)).rejects.toBeInstanceOf(ProviderUnavailableError);
    provider.confirmFailure = undefined;

    const charge = await service.charge(checkout);

    expect(charge.outcome).toBe('captured');
    expect(provider.calls).toEqual(['create checkout-o-1', 'confirm confirm-o-1', 'confirm confirm-o-1']);
    expect(provider.intents.size).toBe(1);
  });

  it('creates the intent again (the same one, by its key) when recording it failed the first time', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    const record = repository.recordPaymentIntent.bind(repository);
    repository.recordPaymentIntent = async () => {
      repository.recordPaymentIntent = record;
      throw new Error('the table did not answer');
    };
    await expect(service.charge(checkout)).rejects.toThrow('the table did not answer');

    const charge = await service.charge(checkout);

    expect(charge.outcome).toBe('captured');
    expect(provider.calls).toEqual(['create checkout-o-1', 'create checkout-o-1', 'confirm confirm-o-1']);
    expect(provider.intents.size).toBe(1);
  });

  it('never confirms the intent of an order cancelled while the intent was being created: it cancels it', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    const create = provider.createIntent.bind(provider);
    provider.createIntent = async (request) => {
      await service.onOrderWithdrawn(cancelled());
      return create(request);
    };

    const recorded = await runExecution(service, checkout);

    expect(provider.callsTo('confirm')).toEqual([]);
    expect(provider.intents.get('pi_o-1')?.status).toBe('canceled');
    expect(recorded.payment).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'CANCELLED' });
    expect(repository.events[0]?.data).toMatchObject({ reason: 'CANCELLED', providerReference: 'pi_o-1' });
  });

  it('cancels, rather than confirms, the intent of an order cancelled between two attempts', async () => {
    const { service, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    provider.confirmFailure = { error: new ProviderUnavailableError('503'), afterCharging: false };
    await service.charge(checkout).catch(() => undefined);
    provider.confirmFailure = undefined;
    await service.onOrderWithdrawn(cancelled());

    const charge = await service.charge(checkout);

    expect(charge).toEqual({ outcome: 'cancelled' });
    expect(provider.calls.slice(-2)).toEqual(['read pi_o-1', 'cancel cancel-o-1']);
    expect(provider.callsTo('confirm')).toHaveLength(1);
    expect(provider.intents.get('pi_o-1')?.status).toBe('canceled');
  });

  it('refunds an order cancelled between two attempts whose first attempt took the money behind a lost answer', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    provider.confirmFailure = { error: new ProviderTimeoutError('no answer'), afterCharging: true };
    await service.charge(checkout).catch(() => undefined);
    provider.confirmFailure = undefined;
    await service.onOrderWithdrawn(cancelled());

    const recorded = await runExecution(service, checkout);

    expect(recorded).toEqual({ payment: { orderId: 'o-1', status: 'REFUNDED' }, event: 'PaymentRefunded' });
    expect(provider.callsTo('cancel')).toEqual([]);
    expect(provider.refunds).toEqual([{ idempotencyKey: 'refund-o-1', providerReference: 'pi_o-1' }]);
    expect(repository.events.map((e) => e.type)).toEqual(['PaymentRefunded']);
  });
});

describe('an order cancelled while its payment is under way', () => {
  it('is not charged when the cancel arrives before the charge: the payment fails as CANCELLED', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());

    const withdrawn = await service.onOrderWithdrawn(cancelled());
    const recorded = await runExecution(service, checkout);

    expect(withdrawn).toBe('cancel-requested');
    expect(provider.calls).toEqual([]);
    expect(recorded.payment).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'CANCELLED' });
    expect(repository.payment('o-1')?.attempts).toBe(0);
    expect(repository.events.map((e) => [e.type, e.data])).toEqual([
      ['PaymentFailed', { orderId: 'o-1', amount: 2500, currency: 'EUR', reason: 'CANCELLED' }],
    ]);
  });

  it('is refunded when the cancel arrives between the charge and its recording', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    const charge = await service.charge(checkout);

    await service.onOrderWithdrawn(cancelled());
    const recorded = await service.recordOutcome({ ...checkout, charge });

    expect(recorded).toEqual({ payment: { orderId: 'o-1', status: 'REFUNDED' }, event: 'PaymentRefunded' });
    expect(provider.refunds).toEqual([{ idempotencyKey: 'refund-o-1', providerReference: 'pi_o-1' }]);
    expect(repository.events.map((e) => [e.type, e.data])).toEqual([
      ['PaymentRefunded', { orderId: 'o-1', amount: 2500, currency: 'EUR', providerReference: 'pi_o-1', refundReference: 're_1' }],
    ]);
  });

  it('is refunded, once, when the cancel arrives after the capture was recorded', async () => {
    const { service, repository, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    await runExecution(service, checkout);

    const outcomes = [await service.onOrderWithdrawn(cancelled()), await service.onOrderWithdrawn(cancelled())];

    expect(outcomes).toEqual(['refunded', 'nothing-to-undo']);
    expect(provider.refunds).toHaveLength(1);
    expect(repository.payment('o-1')).toMatchObject({ status: 'REFUNDED', providerReference: 'pi_o-1', refundReference: 're_1' });
    expect(repository.events.map((e) => e.type)).toEqual(['PaymentCaptured', 'PaymentRefunded']);
  });

  it('changes nothing for a payment that failed', async () => {
    const { service, provider } = paymentsService();
    provider.answer = async () => ({ outcome: 'declined', declineCode: 'generic_decline' });
    await service.onOrderReserved(reserved());
    await runExecution(service, checkout);

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
    await runExecution(service, checkout);

    const payment = await service.get(anOperator, 'o-1');

    expect(payment).toEqual({
      orderId: 'o-1',
      status: 'CAPTURED',
      amount: 2500,
      currency: 'EUR',
      providerReference: 'pi_o-1',
      attempts: 1,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
  });

  it('refuses an order it has no payment for', async () => {
    await expect(paymentsService().service.get(anOperator, 'o-unknown')).rejects.toBeInstanceOf(PaymentNotFoundError);
  });
});
