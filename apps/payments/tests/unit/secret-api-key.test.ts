import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ProviderNotConfiguredError } from '../../src/domain/errors';
import { secretApiKey } from '../../src/adapters/secret-api-key';

const secrets = mockClient(SecretsManagerClient);
const SECRET_ID = 'storefront/test/payment-provider';

beforeEach(() => {
  secrets.reset();
});

afterEach(() => {
  jest.useRealTimers();
});

describe("the provider's API key from Secrets Manager", () => {
  it('reads the apiKey of the JSON secret once and keeps it for later calls', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolves({ SecretString: '{"apiKey":"sk_test_from_secret"}' });
    const apiKey = secretApiKey(SECRET_ID);

    const keys = [await apiKey(), await apiKey()];

    expect(keys).toEqual(['sk_test_from_secret', 'sk_test_from_secret']);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads it again once five minutes have passed, so a rotated key is picked up', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '{"apiKey":"sk_test_old"}' })
      .resolves({ SecretString: '{"apiKey":"sk_test_rotated"}' });
    const apiKey = secretApiKey(SECRET_ID);
    // Only the clock is faked: the mocked client answers through promises, never timers.
    jest.useFakeTimers({ now: Date.parse('2026-03-01T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });

    const first = await apiKey();
    jest.setSystemTime(Date.parse('2026-03-01T10:04:59Z'));
    const withinFiveMinutes = await apiKey();
    jest.setSystemTime(Date.parse('2026-03-01T10:05:01Z'));
    const afterFiveMinutes = await apiKey();

    expect([first, withinFiveMinutes, afterFiveMinutes]).toEqual(['sk_test_old', 'sk_test_old', 'sk_test_rotated']);
  });

  it('reads it again when asked to refresh, as after the provider refused the cached key', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '{"apiKey":"sk_test_old"}' })
      .resolves({ SecretString: '{"apiKey":"sk_test_rotated"}' });
    const apiKey = secretApiKey(SECRET_ID);

    const keys = [await apiKey(), await apiKey({ refresh: true })];

    expect(keys).toEqual(['sk_test_old', 'sk_test_rotated']);
  });

  it('says the provider is not configured when the secret has no value yet, or no apiKey', async () => {
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error("Secrets Manager can't find the specified secret value")).resolves({
      SecretString: '{"key":"sk_test_misnamed"}',
    });
    const apiKey = secretApiKey(SECRET_ID);

    await expect(apiKey()).rejects.toBeInstanceOf(ProviderNotConfiguredError);
    await expect(apiKey()).rejects.toThrow(`Secret ${SECRET_ID} has no apiKey`);
  });

  it('never quotes a value it could not read', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'sk_test_pasted_without_json' });

    const failure = (await secretApiKey(SECRET_ID)().catch((error: Error) => error)) as Error;

    expect(failure).toBeInstanceOf(ProviderNotConfiguredError);
    expect(JSON.stringify({ message: failure.message, cause: String(failure.cause) })).not.toContain('sk_test_pasted');
  });
});
