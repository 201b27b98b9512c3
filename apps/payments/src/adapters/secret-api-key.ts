import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ProviderNotConfiguredError } from '../domain/errors';
import type { ApiKeySource } from './stripe-payment-provider';

/** Read at most every five minutes per sandbox: a rotated key is picked up within that, or at once when the provider refuses the old one. */
const SECRET_MAX_AGE_SECONDS = 300;

/**
 * The provider's API key from Secrets Manager through Powertools Parameters: the secret `secretId` holds
 * JSON `{"apiKey": "sk_…"}`, cached by the provider for five minutes. The key stays in memory only; no error
 * or log line carries it, nor the text of a failure that might quote it (the JSON is parsed here rather than
 * by Powertools' `transform: 'json'`, whose error would name the value).
 */
export function secretApiKey(secretId: string, client: SecretsManagerClient = new SecretsManagerClient({})): ApiKeySource {
  const secrets = new SecretsProvider({ awsSdkV3Client: client });
  return async ({ refresh = false } = {}) => {
    let secret: unknown;
    try {
      const value = await secrets.get(secretId, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch: refresh });
      secret = JSON.parse(typeof value === 'string' ? value : '');
    } catch (error) {
      throw new ProviderNotConfiguredError(`The payment provider key could not be read from secret ${secretId} (${(error as Error).name})`);
    }
    const apiKey = (secret as { apiKey?: unknown } | null)?.apiKey;
    if (typeof apiKey !== 'string' || !apiKey) throw new ProviderNotConfiguredError(`Secret ${secretId} has no apiKey`);
    return apiKey;
  };
}
