import { randomUUID } from 'node:crypto';
import { eventually, request, type TrailEntry } from '../support/http';
import { providerLedger, setPaymentFaults } from '../support/payment-provider';
import { sharedLocalStack, type SharedStack } from '../support/shared-stack';

/**
 * The checkout workflow when every confirm fails: the local Step Functions runner runs the payments functions
 * against the local payment provider, whose confirms all fail (rate 1, confirms only) while creating, reading
 * and cancelling answer; afterwards nothing fails (rate 0). Whether a charge happened behind the failures, the
 * payment must end as the provider's ledger says, and no FAILED payment may leave money at the provider.
 */
let stack: SharedStack;

const PRICE = 1250;
const SKU = 'E2E-RECONCILE';

beforeAll(async () => {
  stack = await sharedLocalStack();
  await request(stack.baseUrl, 'PUT', `/products/${SKU}`, {
    body: { name: 'Reconciled lamp', price: PRICE, currency: 'EUR', stock: 10 },
    as: 'admin',
  });
}, 180_000);

afterEach(() => setPaymentFaults(stack, 0));

const ledger = () => providerLedger(stack);

/** Places an order for one unit, and answers its id and correlation id once its payment has left PENDING. */
async function orderPaidThroughFailures(customerId: string) {
  const correlationId = randomUUID();
  const customer = { customer: customerId };
  const placed = await request(stack.baseUrl, 'POST', '/orders', {
    body: { customerId, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: SKU, quantity: 1 }] },
    headers: { 'x-correlation-id': correlationId },
    as: customer,
  });
  expect(placed.status).toBe(201);
  const orderId = placed.body.orderId as string;
  const payment = await eventually(
    async () => {
      const current = await request(stack.baseUrl, 'GET', `/payments/${orderId}`, { as: customer });
      return current.status === 200 && current.body.status !== 'PENDING' ? current.body : undefined;
    },
    // Five confirms of up to the provider timeout each, the pauses between them (at most 15 s), then reconciling.
    { timeoutMs: 90_000, intervalMs: 500, what: `the payment of order ${orderId} to leave PENDING` },
  );
  return { orderId, correlationId, payment };
}

const orderStatus = (orderId: string, status: string) =>
  eventually(
    async () => {
      const order = await request(stack.baseUrl, 'GET', `/orders/${orderId}`, { as: 'admin' });
      return order.body.status === status ? order.body : undefined;
    },
    { what: `order ${orderId} to become ${status}` },
  );

const statesOf = async (correlationId: string) =>
  (await request<(TrailEntry & { state?: string })[]>(stack.baseUrl, 'GET', `/_local/trail?correlationId=${correlationId}`)).body
    .filter((entry) => entry.kind.startsWith('state-') || entry.kind.startsWith('execution-'))
    .map((entry) => [entry.kind, entry.state].filter(Boolean).join(' '));

describe('a checkout whose every confirm fails', () => {
  it('ends CAPTURED when the provider took the money behind the timeouts: reconciling reads the intent', async () => {
    await setPaymentFaults(stack, { rate: 1, calls: ['confirm'], kinds: ['timeout-after-charge'] });

    const { orderId, correlationId, payment } = await orderPaidThroughFailures('e2e-reconcile-charged');

    const [intent, ...others] = (await ledger())[orderId]?.paymentIntents ?? [];
    expect(others).toEqual([]);
    expect(intent?.status).toBe('succeeded');
    expect(payment).toMatchObject({ status: 'CAPTURED', providerReference: intent?.id, attempts: 5, amount: PRICE });
    expect((await ledger())[orderId]).toMatchObject({ captured: PRICE, refunded: 0 });
    expect((await orderStatus(orderId, 'CONFIRMED')).payment).toMatchObject({ status: 'CAPTURED', providerReference: intent?.id });
    expect(await statesOf(correlationId)).toEqual(
      expect.arrayContaining(['state-caught ChargePayment', 'state-entered ReconcileCharge', 'execution-succeeded']),
    );
  });

  it('ends FAILED (PROVIDER_UNAVAILABLE) with its intent cancelled when no confirm got through', async () => {
    await setPaymentFaults(stack, { rate: 1, calls: ['confirm'], kinds: ['unavailable', 'timeout-before-charge'] });

    const { orderId, payment } = await orderPaidThroughFailures('e2e-reconcile-not-charged');

    const [intent, ...others] = (await ledger())[orderId]?.paymentIntents ?? [];
    expect(others).toEqual([]);
    expect(intent?.status).toBe('canceled');
    expect(payment).toMatchObject({ status: 'FAILED', failureReason: 'PROVIDER_UNAVAILABLE', providerReference: intent?.id, attempts: 5 });
    expect((await ledger())[orderId]).toMatchObject({ captured: 0, refunded: 0 });
    expect((await orderStatus(orderId, 'PAYMENT_FAILED')).payment).toMatchObject({ status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE' });
  });
});
