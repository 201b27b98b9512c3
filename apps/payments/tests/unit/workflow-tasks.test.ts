import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { aLambdaContext } from '@storefront/testing';
import { aStoredPayment, PROVIDER_ENVIRONMENT, TEST_API_KEY } from '../support/stored-payments';
import { canceledPaymentIntent, createdPaymentIntent, succeededPaymentIntent } from '../support/stripe-responses';

const dynamo = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
let fetch: jest.SpiedFunction<typeof globalThis.fetch>;
let chargePayment: typeof import('../../src/handlers/charge-payment').handler;
let recordPaymentOutcome: typeof import('../../src/handlers/record-payment-outcome').handler;
let reconcilePayment: typeof import('../../src/handlers/reconcile-payment').handler;

beforeAll(async () => {
  Object.assign(process.env, PROVIDER_ENVIRONMENT);
  chargePayment = (await import('../../src/handlers/charge-payment')).handler;
  recordPaymentOutcome = (await import('../../src/handlers/record-payment-outcome')).handler;
  reconcilePayment = (await import('../../src/handlers/reconcile-payment')).handler;
});

beforeEach(() => {
  dynamo.reset();
  secrets.reset();
  fetch = jest.spyOn(globalThis, 'fetch');
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ apiKey: TEST_API_KEY }) });
});

afterEach(() => fetch.mockRestore());

const input = { orderId: 'o-1', correlationId: 'corr-3' };

describe('the chargePayment task', () => {
  it('counts the attempt, creates the PaymentIntent, records it, then confirms it, with the key from the secret', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: aStoredPayment({ attempts: 1 }) })
      .resolvesOnce({ Attributes: aStoredPayment({ attempts: 1, providerReference: 'pi_3QxTestSucceeded' }) });
    fetch
      .mockResolvedValueOnce(new Response(JSON.stringify(createdPaymentIntent), { status: 200 }))
      .mockResolvedValueOnce(new Response(JSON.stringify(succeededPaymentIntent), { status: 200 }));

    const result = await chargePayment(input, aLambdaContext());

    expect(result).toEqual({ outcome: 'captured', providerReference: 'pi_3QxTestSucceeded' });
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toMatchObject([
      { UpdateExpression: 'SET attempts = attempts + :one, updatedAt = :at' },
      {
        UpdateExpression: 'SET providerReference = :reference, updatedAt = :at',
        ExpressionAttributeValues: { ':reference': 'pi_3QxTestSucceeded' },
      },
    ]);
    expect(fetch.mock.calls.map(([url, init]) => [String(url), (init?.headers as Record<string, string>)['idempotency-key']])).toEqual([
      ['https://api.stripe.test/v1/payment_intents', 'checkout-o-1'],
      ['https://api.stripe.test/v1/payment_intents/pi_3QxTestSucceeded/confirm', 'confirm-o-1'],
    ]);
    expect(fetch.mock.calls[0]?.[1]?.headers).toMatchObject({ authorization: `Bearer ${TEST_API_KEY}` });
  });

  it('fails with ProviderUnavailableError by name when the provider is down, for the state to retry', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: aStoredPayment({ attempts: 2, providerReference: 'pi_3QxTestSucceeded' }) });
    fetch.mockResolvedValue(new Response('{"error":{"type":"api_error"}}', { status: 503 }));

    await expect(chargePayment(input, aLambdaContext())).rejects.toMatchObject({ name: 'ProviderUnavailableError' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('answers cancelled, without calling the provider, for a payment asked to stop', async () => {
    dynamo.on(UpdateCommand).rejects(Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' }));
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment({ cancelRequestedAt: '2026-03-01T10:01:00.000Z' }) });

    const result = await chargePayment(input, aLambdaContext());

    expect(result).toEqual({ outcome: 'cancelled' });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('the reconcilePayment task', () => {
  it('answers captured for a PaymentIntent that succeeded behind the failed attempts, without writing anything', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment({ attempts: 5, providerReference: 'pi_3QxTestSucceeded' }) });
    fetch.mockResolvedValue(new Response(JSON.stringify(succeededPaymentIntent), { status: 200 }));

    const result = await reconcilePayment({ ...input, error: 'ProviderTimeoutError' }, aLambdaContext());

    expect(result).toEqual({ outcome: 'captured', providerReference: 'pi_3QxTestSucceeded' });
    expect(fetch.mock.calls.map(([url, init]) => [init?.method, String(url)])).toEqual([
      ['GET', 'https://api.stripe.test/v1/payment_intents/pi_3QxTestSucceeded'],
    ]);
    expect(dynamo.commandCalls(UpdateCommand)).toEqual([]);
    expect(dynamo.commandCalls(TransactWriteCommand)).toEqual([]);
  });

  it('cancels a PaymentIntent that took no money and answers unavailable, naming the charge error', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment({ attempts: 5, providerReference: 'pi_3QxTestSucceeded' }) });
    fetch
      .mockResolvedValueOnce(new Response(JSON.stringify(createdPaymentIntent), { status: 200 }))
      .mockResolvedValueOnce(new Response(JSON.stringify(canceledPaymentIntent), { status: 200 }));

    const result = await reconcilePayment({ ...input, error: 'ProviderTimeoutError' }, aLambdaContext());

    expect(result).toEqual({ outcome: 'unavailable', error: 'ProviderTimeoutError' });
    expect(String(fetch.mock.calls[1]?.[0])).toBe('https://api.stripe.test/v1/payment_intents/pi_3QxTestSucceeded/cancel');
  });

  it('fails with ProviderUnavailableError by name while the provider is down, for the state to retry', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment({ attempts: 5, providerReference: 'pi_3QxTestSucceeded' }) });
    fetch.mockResolvedValue(new Response('{"error":{"type":"api_error"}}', { status: 503 }));

    await expect(reconcilePayment({ ...input, error: 'ProviderTimeoutError' }, aLambdaContext())).rejects.toMatchObject({
      name: 'ProviderUnavailableError',
    });
  });
});

describe('the recordPaymentOutcome task', () => {
  it('writes CAPTURED and PaymentCaptured in one transaction, unless a cancel came first, and answers the status', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment({ attempts: 1 }) });
    dynamo.on(TransactWriteCommand).resolves({});

    const result = await recordPaymentOutcome(
      { ...input, charge: { outcome: 'captured', providerReference: 'pi_3QxTestSucceeded' } },
      aLambdaContext(),
    );

    expect(result).toEqual({ orderId: 'o-1', status: 'CAPTURED' });
    const [update, outbox] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(update?.Update).toMatchObject({
      Key: { PK: 'PAYMENT#o-1', SK: 'PAYMENT' },
      ConditionExpression: '#status = :from AND attribute_not_exists(cancelRequestedAt)',
      ExpressionAttributeValues: { ':status': 'CAPTURED', ':providerReference': 'pi_3QxTestSucceeded', ':from': 'PENDING' },
    });
    expect(outbox?.Put?.Item).toMatchObject({
      PK: 'PAYMENT#o-1',
      entityType: 'OUTBOX_EVENT',
      event: {
        type: 'PaymentCaptured',
        correlationId: 'corr-3',
        data: { orderId: 'o-1', amount: 2500, providerReference: 'pi_3QxTestSucceeded' },
      },
    });
  });

  it('records the failure the Catch path hands over, naming the error', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment({ attempts: 5 }) });
    dynamo.on(TransactWriteCommand).resolves({});

    const result = await recordPaymentOutcome(
      { ...input, charge: { outcome: 'unavailable', error: 'ProviderTimeoutError' } },
      aLambdaContext(),
    );

    expect(result).toEqual({ orderId: 'o-1', status: 'FAILED', failureReason: 'PROVIDER_UNAVAILABLE' });
    const [, outbox] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(outbox?.Put?.Item?.event).toMatchObject({
      type: 'PaymentFailed',
      data: { reason: 'PROVIDER_UNAVAILABLE', detail: 'ProviderTimeoutError' },
    });
  });

  it('refuses an input the state machine should never send, by a name no Retry matches', async () => {
    await expect(recordPaymentOutcome({ ...input, charge: { outcome: 'lost' } }, aLambdaContext())).rejects.toMatchObject({
      name: 'InvalidTaskInputError',
    });
    expect(dynamo.calls()).toEqual([]);
  });
});
