import { PaymentNotFoundError, ProviderTimeoutError, ProviderUnavailableError } from '../../src/domain/errors';
import { cancelled, checkout, paymentsService, reserved, runExecution } from '../support/checkout-harness';

/** A payment whose every charge attempt failed with `error`; `afterCharging`: the provider took the money each time first. */
async function chargeFailedForGood({
  afterCharging,
  error = new ProviderTimeoutError('no answer within 5000 ms'),
}: {
  afterCharging: boolean;
  error?: Error;
}) {
  const context = paymentsService();
  await context.service.onOrderReserved(reserved());
  context.provider.confirmFailure = { error, afterCharging };
  for (let attempt = 1; attempt <= 5; attempt++) await expect(context.service.charge(checkout)).rejects.toBe(error);
  context.provider.confirmFailure = undefined;
  return context;
}

const reconcileAfter = (error = 'ProviderTimeoutError') => ({ ...checkout, error });

describe('reconciling a charge whose every attempt failed', () => {
  it('records CAPTURED when the provider took the money behind the timeouts, and cancels nothing', async () => {
    const { service, repository, provider } = await chargeFailedForGood({ afterCharging: true });

    const reconciled = await service.reconcile(reconcileAfter());
    const recorded = await service.recordOutcome({ ...checkout, charge: reconciled });

    expect(reconciled).toEqual({ outcome: 'captured', providerReference: 'pi_o-1' });
    expect(recorded).toEqual({ payment: { orderId: 'o-1', status: 'CAPTURED' }, event: 'PaymentCaptured' });
    expect(provider.calls.slice(-1)).toEqual(['read pi_o-1']);
    expect(provider.callsTo('cancel')).toEqual([]);
    expect(repository.events[0]?.data).toMatchObject({ providerReference: 'pi_o-1' });
  });

  it('cancels the intent and records FAILED PROVIDER_UNAVAILABLE when no money was taken, naming the error and the intent', async () => {
    const { service, repository, provider } = await chargeFailedForGood({ afterCharging: false });

    const recorded = await service.recordOutcome({ ...checkout, charge: await service.reconcile(reconcileAfter()) });

    expect(recorded.payment).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'PROVIDER_UNAVAILABLE' });
    expect(provider.calls.slice(-2)).toEqual(['read pi_o-1', 'cancel cancel-o-1']);
    expect(provider.intents.get('pi_o-1')?.status).toBe('canceled');
    expect(repository.payment('o-1')).toMatchObject({ failureDetail: 'ProviderTimeoutError', providerReference: 'pi_o-1' });
    expect(repository.events.map((e) => [e.type, e.data])).toEqual([
      [
        'PaymentFailed',
        {
          orderId: 'o-1',
          amount: 2500,
          currency: 'EUR',
          reason: 'PROVIDER_UNAVAILABLE',
          detail: 'ProviderTimeoutError',
          providerReference: 'pi_o-1',
        },
      ],
    ]);
  });

  it('records CAPTURED when a late confirm wins the race with the cancel: Stripe refuses the cancel, and the intent is read again', async () => {
    const { service, provider } = await chargeFailedForGood({ afterCharging: false });
    provider.beforeCancel = (intent) => (intent.status = 'succeeded');

    const reconciled = await service.reconcile(reconcileAfter());

    expect(reconciled).toEqual({ outcome: 'captured', providerReference: 'pi_o-1' });
    expect(provider.calls.slice(-3)).toEqual(['read pi_o-1', 'cancel cancel-o-1', 'read pi_o-1']);
  });

  it('cancels nothing more for an intent cancelled already (an earlier run stopped after its cancel)', async () => {
    const { service, provider } = await chargeFailedForGood({ afterCharging: false });
    provider.intent('pi_o-1').status = 'canceled';

    const reconciled = await service.reconcile(reconcileAfter());

    expect(reconciled).toEqual({ outcome: 'unavailable', error: 'ProviderTimeoutError' });
    expect(provider.callsTo('cancel')).toEqual([]);
  });

  it('records FAILED without asking the provider when no intent was ever recorded: nothing was confirmed', async () => {
    const { service, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    provider.unreachable.add('create');

    const recorded = await runExecution(service, checkout);

    expect(recorded.payment).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'PROVIDER_UNAVAILABLE' });
    expect(provider.calls).toEqual(['create checkout-o-1']);
  });

  it('records CANCELLED for an order cancelled meanwhile, its intent cancelled, or with none', async () => {
    const withIntent = await chargeFailedForGood({ afterCharging: false });
    await withIntent.service.onOrderWithdrawn(cancelled());
    const withoutIntent = paymentsService();
    await withoutIntent.service.onOrderReserved(reserved());
    await withoutIntent.service.onOrderWithdrawn(cancelled());

    const outcomes = [await withIntent.service.reconcile(reconcileAfter()), await withoutIntent.service.reconcile(reconcileAfter())];

    expect(outcomes).toEqual([{ outcome: 'cancelled' }, { outcome: 'cancelled' }]);
    expect(withIntent.provider.intents.get('pi_o-1')?.status).toBe('canceled');
    expect(withoutIntent.provider.calls).toEqual([]);
  });

  it('refunds an order cancelled meanwhile whose money was taken behind the timeouts', async () => {
    const { service, provider } = await chargeFailedForGood({ afterCharging: true });
    await service.onOrderWithdrawn(cancelled());

    const recorded = await service.recordOutcome({ ...checkout, charge: await service.reconcile(reconcileAfter()) });

    expect(recorded).toEqual({ payment: { orderId: 'o-1', status: 'REFUNDED' }, event: 'PaymentRefunded' });
    expect(provider.refunds).toEqual([{ idempotencyKey: 'refund-o-1', providerReference: 'pi_o-1' }]);
  });

  it('throws, to be retried, while the provider cannot be reached, and the payment stays PENDING', async () => {
    const { service, repository, provider } = await chargeFailedForGood({ afterCharging: true });
    provider.unreachable.add('read');

    const execution = runExecution(service, checkout);

    await expect(execution).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(repository.payment('o-1')?.status).toBe('PENDING');
    expect(repository.events).toEqual([]);
  });

  it('throws, to be retried, for an intent that can be neither cancelled nor read as ended (still processing)', async () => {
    const { service, repository, provider } = await chargeFailedForGood({ afterCharging: false });
    provider.intent('pi_o-1').status = 'processing';

    await expect(service.reconcile(reconcileAfter())).rejects.toMatchObject({ name: 'ProviderUnavailableError' });
    expect(provider.calls.slice(-3)).toEqual(['read pi_o-1', 'cancel cancel-o-1', 'read pi_o-1']);
    expect(repository.payment('o-1')?.status).toBe('PENDING');
  });

  it('asks the provider nothing for a payment settled already (a repeated run), and recording leaves it as it is', async () => {
    const { service, provider } = paymentsService();
    await service.onOrderReserved(reserved());
    await runExecution(service, checkout);
    const callsBefore = provider.calls.length;

    const reconciled = await service.reconcile(reconcileAfter('PaymentNotPendingError'));
    const recorded = await service.recordOutcome({ ...checkout, charge: reconciled });

    expect(reconciled).toEqual({ outcome: 'unavailable', error: 'PaymentNotPendingError' });
    expect(recorded).toEqual({ payment: { orderId: 'o-1', status: 'CAPTURED' } });
    expect(provider.calls).toHaveLength(callsBefore);
  });

  it('refuses an order it has no payment for', async () => {
    await expect(paymentsService().service.reconcile(reconcileAfter())).rejects.toBeInstanceOf(PaymentNotFoundError);
  });
});
