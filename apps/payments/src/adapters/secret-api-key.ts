import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ProviderNotConfiguredError } from '../domain/errors';
import type { ApiKeySource } from './stripe-payment-provider';

/** Read at most every five minutes per sandbox: a rotated key is picked up within that, or at once when the provider refuses the old one. */
const SECRET_MAX_AGE_MS = 300_000;

/**
 * The provider's API key from Secrets Manager: the secret `secretId` holds
 * JSON `{"apiKey": "sk_…"}`. The key stays in memory only; no error or log line
 * carries it, nor the text of a failure that might quote it. (One GetSecretValue
 * and a cache, as Powertools Parameters' getSecret did, without its ~6 KiB in
 * the bundles of the functions that charge.)
 */
export function secretApiKey(secretId: string, client: SecretsManagerClient = new SecretsManagerClient({})): ApiKeySource {
  let cached: { apiKey: string; readAt: number } | undefined;
  return async ({ refresh = false } = {}) => {
    if (cached && !refresh && Date.now() - cached.readAt < SECRET_MAX_AGE_MS) return cached.apiKey;
    let secret: unknown;
    try {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      secret = JSON.parse(SecretString ?? '');
    } catch (error) {
      // A failed JSON parse quotes the value it could not read: keep only the kind of failure.
      throw new ProviderNotConfiguredError(`The payment provider key could not be read from secret ${secretId} (${(error as Error).name})`);
    }
    const apiKey = (secret as { apiKey?: unknown } | null)?.apiKey;
    if (typeof apiKey !== 'string' || !apiKey) throw new ProviderNotConfiguredError(`Secret ${secretId} has no apiKey`);
    cached = { apiKey, readAt: Date.now() };
    return apiKey;
  };
}
