import type { RunningStack } from './local-stack';

/** One order's money as the local payment provider's ledger shows it. */
export interface LedgerOrder {
  paymentIntents: { id: string; status: string; amount_received: number }[];
  refunds: { id: string }[];
  captured: number;
  refunded: number;
}

/** Every order the local provider saw, by order id. */
export async function providerLedger(stack: Pick<RunningStack, 'endpoints'>): Promise<Record<string, LedgerOrder>> {
  const answer = await fetch(`${stack.endpoints.paymentProvider}/_local/ledger`);
  return ((await answer.json()) as { orders: Record<string, LedgerOrder> }).orders;
}

/** Which calls fail, and how: by default every call, each fault kind as `--payment-faults` mixes them. */
export interface FaultSettings {
  rate: number;
  calls?: string[];
  kinds?: string[];
}

/** Makes that share of the local provider's calls fail (0 to 1), as `npm start -- --payment-faults` does. */
export async function setPaymentFaults(stack: Pick<RunningStack, 'endpoints'>, faults: number | FaultSettings): Promise<void> {
  const settings = typeof faults === 'number' ? { rate: faults } : faults;
  const answer = await fetch(`${stack.endpoints.paymentProvider}/_local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  if (answer.status !== 200)
    throw new Error(`the local payment provider refused faults ${JSON.stringify(settings)}: ${await answer.text()}`);
}

/**
 * Runs `work` while every payment call fails, so an order that reaches RESERVED stays there (its checkout keeps
 * retrying) long enough to look at or cancel; payments work again afterwards.
 */
export async function whilePaymentsStall<T>(stack: Pick<RunningStack, 'endpoints'>, work: () => Promise<T>): Promise<T> {
  await setPaymentFaults(stack, 1);
  try {
    return await work();
  } finally {
    await setPaymentFaults(stack, 0);
  }
}
