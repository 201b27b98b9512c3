import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { describeTemplate } from '#packaging';
import { freePort } from '@storefront/testing';
import { PAYMENT_PROVIDER_SECRET } from '../../src/emulators/payment-provider/payment-provider.ts';
import { type LocalSecretsManager, provisionSecrets, startSecretsManager } from '../../src/emulators/secrets-manager/secrets-manager.ts';
import type { DescribedService } from '../../src/common/types.ts';

let secretsManager: LocalSecretsManager;
let client: SecretsManagerClient;

beforeAll(async () => {
  secretsManager = await startSecretsManager({ port: await freePort(), region: 'us-east-1' });
  // What the local stack puts in every function's environment: the SDK, and so Powertools, find the endpoint there.
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsManager.url;
  client = new SecretsManagerClient({});
});

afterAll(async () => {
  client?.destroy();
  delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  await secretsManager?.close();
});

/** A packaged template declaring a secret the way the payments service does: a Name, no value. */
const described = (name: string): DescribedService[] => [
  {
    service: { name: 'payments', dir: '', params: [], dependsOn: [] },
    template: describeTemplate(
      { Resources: { PaymentProviderSecret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: name } } } },
      { stackName: 'storefront-payments-local', region: 'us-east-1' },
    ),
  },
];

describe('the local Secrets Manager, through the AWS SDK', () => {
  it('creates a secret, stores a value and gives it back', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: 'sdk/one', SecretString: 'first' }));
    await client.send(new PutSecretValueCommand({ SecretId: 'sdk/one', SecretString: 'second' }));

    const current = await client.send(new GetSecretValueCommand({ SecretId: 'sdk/one' }));
    const previous = await client.send(new GetSecretValueCommand({ SecretId: created.ARN, VersionStage: 'AWSPREVIOUS' }));

    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:sdk\/one-\w{6}$/);
    expect(current).toMatchObject({ Name: 'sdk/one', SecretString: 'second', VersionStages: ['AWSCURRENT'] });
    expect(previous.SecretString).toBe('first');
  });

  it('describes a secret with its versions and their stages', async () => {
    await client.send(
      new CreateSecretCommand({
        Name: 'sdk/two',
        Description: 'for a test',
        SecretString: 'v1',
        ClientRequestToken: 'token-1-of-at-least-32-characters',
      }),
    );

    const description = await client.send(new DescribeSecretCommand({ SecretId: 'sdk/two' }));

    expect(description).toMatchObject({
      Name: 'sdk/two',
      Description: 'for a test',
      VersionIdsToStages: { 'token-1-of-at-least-32-characters': ['AWSCURRENT'] },
    });
    expect(description.CreatedDate).toBeInstanceOf(Date);
  });

  it('refuses a second secret of the same name and an unknown secret, with the exceptions AWS names', async () => {
    await client.send(new CreateSecretCommand({ Name: 'sdk/three' }));

    await expect(client.send(new CreateSecretCommand({ Name: 'sdk/three' }))).rejects.toMatchObject({ name: 'ResourceExistsException' });
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'sdk/missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    // Created without a value, as CloudFormation creates it: there is nothing to read yet.
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'sdk/three' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('secrets the local stack provisions, read with Powertools as a function reads them', () => {
  it('seeds a declared secret it has a local value for, and getSecret parses it as JSON', async () => {
    provisionSecrets(secretsManager.secrets, described(PAYMENT_PROVIDER_SECRET.name), {
      localValues: { [PAYMENT_PROVIDER_SECRET.name]: PAYMENT_PROVIDER_SECRET.value },
      log: () => undefined,
    });

    const secret = await getSecret<{ apiKey: string }>(PAYMENT_PROVIDER_SECRET.name, { transform: 'json', maxAge: 300 });

    expect(secret).toEqual({ apiKey: 'sk_test_storefront_local_not_a_secret' });
  });

  it('creates a declared secret without a value when it has none for it, so reading it fails as on AWS', async () => {
    provisionSecrets(secretsManager.secrets, described('storefront/local/unseeded'), { localValues: {}, log: () => undefined });

    await expect(getSecret('storefront/local/unseeded')).rejects.toMatchObject({ name: 'GetParameterError' });
    await expect(client.send(new DescribeSecretCommand({ SecretId: 'storefront/local/unseeded' }))).resolves.toMatchObject({
      Name: 'storefront/local/unseeded',
    });
  });
});
