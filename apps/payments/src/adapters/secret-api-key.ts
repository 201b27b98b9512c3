import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ProviderNotConfiguredError } from '../domain/errors';
import type { ApiKeySource } from './stripe-payment-provider';

/** Read at most every five minutes per sandbox: a rotated key is picked up within that, or at once when the provider refuses the old one. */
const SECRET_MAX_AGE_SECONDS = 300;

/**
 * The provider's API key from Secrets Manager: the secret `secretId` holds
 * JSON `{"apiKey": "sk_…"}`. The key stays in memory only; no error or log line
 * carries it, nor the text of a failure that might quote it.
 */
export function secretApiKey(secretId: string): ApiKeySource {
  return async ({ refresh = false } = {}) => {
    let secret: unknown;
    try {
      secret = await getSecret(secretId, { transform: 'json', maxAge: SECRET_MAX_AGE_SECONDS, forceFetch: refresh });
    } catch (error) {
      // A failed JSON transform quotes the value it could not read: keep only the kind of failure.
      throw new ProviderNotConfiguredError(`The payment provider key could not be read from secret ${secretId} (${(error as Error).name})`);
    }
    const apiKey = (secret as { apiKey?: unknown } | undefined)?.apiKey;
    if (typeof apiKey !== 'string' || !apiKey) throw new ProviderNotConfiguredError(`Secret ${secretId} has no apiKey`);
    return apiKey;
  };
}
