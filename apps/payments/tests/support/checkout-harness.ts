import type { CheckoutInput, RecordOutcomeInput } from '@storefront/contracts';
import { anOrderCancelled, anOrderReserved } from '@storefront/testing';
import { PaymentsService } from '../../src/domain/payments-service';
import { FakeProvider, FakeWorkflow, InMemoryPaymentsRepository } from './in-memory-payments';

export const NOW = new Date('2026-03-01T10:05:00.000Z');

/** The payments service on the in-memory repository, the fake provider and the fake workflow. */
export function paymentsService() {
  const repository = new InMemoryPaymentsRepository();
  const provider = new FakeProvider();
  const workflow = new FakeWorkflow();
  let ids = 0;
  const service = new PaymentsService({ repository, provider, workflow, now: () => NOW, newId: () => `evt-${++ids}` });
  return { service, repository, provider, workflow };
}

/**
 * One execution of the checkout state machine as its definition chains the tasks: ChargePayment's result at
 * $.charge, or, when it fails, ReconcileCharge's (given the error's name) from the Catch path; then
 * RecordPaymentOutcome. ReconcileCharge has no Catch: when it throws, the execution fails, and so does this.
 */
export async function runExecution(service: PaymentsService, input: CheckoutInput) {
  let charge: RecordOutcomeInput['charge'];
  try {
    charge = await service.charge(input);
  } catch (error) {
    charge = await service.reconcile({ ...input, error: (error as Error).name });
  }
  return service.recordOutcome({ ...input, charge });
}

export const checkout: CheckoutInput = { orderId: 'o-1', correlationId: 'corr-7' };

export const reserved = (orderId = 'o-1') =>
  anOrderReserved({ correlationId: 'corr-7', data: { orderId, amount: 2500, currency: 'EUR', paymentMethod: 'pm_card_visa' } });

export const cancelled = (orderId = 'o-1') => anOrderCancelled({ correlationId: 'corr-8', data: { orderId, previousStatus: 'RESERVED' } });
