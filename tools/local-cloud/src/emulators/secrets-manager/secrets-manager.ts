/**
 * Secrets Manager on this machine: the JSON 1.1 actions a service and its operator use (GetSecretValue,
 * CreateSecret, PutSecretValue, DescribeSecret), behind AWS_ENDPOINT_URL_SECRETS_MANAGER, so Powertools'
 * getSecret reads a secret locally exactly as on AWS. Every AWS::SecretsManager::Secret of the packaged templates
 * is created on each start without a value, as CloudFormation creates it; those the stack has a local value for
 * are then given it. Nothing is kept between starts.
 */
import { randomUUID } from 'node:crypto';
import { localSecretArn } from '#packaging';
import {
  type AwsJsonEndpoint,
  type AwsJsonInput,
  AwsServiceError,
  epochSeconds,
  optionalString,
  requiredString,
  startAwsJsonEndpoint,
} from '../aws-json-endpoint.ts';
import type { DescribedService, Log } from '../../common/types.ts';
import { resourcesOf } from '../../stack/layout.ts';

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
// Secrets Manager's own rule for secret names.
const VALID_NAME = /^[\w/+=.@-]{1,512}$/;

interface SecretVersion {
  versionId: string;
  secretString?: string | undefined;
  secretBinary?: string | undefined;
  stages: Set<string>;
  created: Date;
}

interface Secret {
  arn: string;
  name: string;
  description?: string | undefined;
  created: Date;
  changed: Date;
  versions: SecretVersion[];
}

/** Exactly one of SecretString and SecretBinary (a base64 string in the JSON protocol), or none when `optional`. */
function valueOf(input: AwsJsonInput, { optional }: { optional: boolean }) {
  const secretString = optionalString(input, 'SecretString');
  const secretBinary = optionalString(input, 'SecretBinary');
  if (secretString !== undefined && secretBinary !== undefined)
    throw new AwsServiceError('InvalidParameterException', 'You can specify either SecretString or SecretBinary, not both.');
  if (!optional && secretString === undefined && secretBinary === undefined)
    throw new AwsServiceError('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
  return secretString === undefined && secretBinary === undefined ? undefined : { secretString, secretBinary };
}

export class SecretStore {
  #secrets = new Map<string, Secret>();
  readonly region: string;

  constructor({ region }: { region: string }) {
    this.region = region;
  }

  /** By name, full ARN, or partial ARN (the ARN without its six-character suffix), as AWS accepts a SecretId. */
  #find(secretId: string): Secret {
    const secret =
      this.#secrets.get(secretId) ?? [...this.#secrets.values()].find((s) => s.arn === secretId || s.arn.startsWith(`${secretId}-`));
    if (!secret) throw new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  }

  #addVersion(secret: Secret, value: Pick<SecretVersion, 'secretString' | 'secretBinary'>, token: string | undefined): SecretVersion {
    const existing = token === undefined ? undefined : secret.versions.find((v) => v.versionId === token);
    if (existing) {
      // A retried request with the same token is the same version; another value under it is refused.
      if (existing.secretString === value.secretString && existing.secretBinary === value.secretBinary) return existing;
      throw new AwsServiceError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
    }
    for (const version of secret.versions) {
      version.stages.delete(PREVIOUS);
      if (version.stages.delete(CURRENT)) version.stages.add(PREVIOUS);
    }
    const version = { versionId: token ?? randomUUID(), ...value, stages: new Set([CURRENT]), created: new Date() };
    secret.versions.push(version);
    secret.changed = version.created;
    return version;
  }

  createSecret(input: AwsJsonInput) {
    const name = requiredString(input, 'Name');
    if (!VALID_NAME.test(name)) throw new AwsServiceError('ValidationException', `Invalid name: ${name}`);
    if (this.#secrets.has(name))
      throw new AwsServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    const value = valueOf(input, { optional: true });
    const now = new Date();
    const secret: Secret = {
      arn: localSecretArn(name, this.region),
      name,
      description: optionalString(input, 'Description'),
      created: now,
      changed: now,
      versions: [],
    };
    this.#secrets.set(name, secret);
    const version = value ? this.#addVersion(secret, value, optionalString(input, 'ClientRequestToken')) : undefined;
    return { ARN: secret.arn, Name: name, ...(version ? { VersionId: version.versionId } : {}) };
  }

  putSecretValue(input: AwsJsonInput) {
    const secret = this.#find(requiredString(input, 'SecretId'));
    const version = this.#addVersion(secret, valueOf(input, { optional: false })!, optionalString(input, 'ClientRequestToken'));
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: [...version.stages] };
  }

  getSecretValue(input: AwsJsonInput) {
    const secret = this.#find(requiredString(input, 'SecretId'));
    const versionId = optionalString(input, 'VersionId');
    const stage = optionalString(input, 'VersionStage') ?? (versionId ? undefined : CURRENT);
    const version = secret.versions.find((v) => (!versionId || v.versionId === versionId) && (!stage || v.stages.has(stage)));
    if (!version)
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage}`}`,
      );
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      ...(version.secretString !== undefined ? { SecretString: version.secretString } : { SecretBinary: version.secretBinary }),
      VersionStages: [...version.stages],
      CreatedDate: epochSeconds(version.created),
    };
  }

  describeSecret(input: AwsJsonInput) {
    const secret = this.#find(requiredString(input, 'SecretId'));
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined ? { Description: secret.description } : {}),
      CreatedDate: epochSeconds(secret.created),
      LastChangedDate: epochSeconds(secret.changed),
      VersionIdsToStages: Object.fromEntries(secret.versions.filter((v) => v.stages.size).map((v) => [v.versionId, [...v.stages]])),
    };
  }
}

export interface LocalSecretsManager extends AwsJsonEndpoint {
  secrets: SecretStore;
}

export async function startSecretsManager({ port, region }: { port: number; region: string }): Promise<LocalSecretsManager> {
  const secrets = new SecretStore({ region });
  const endpoint = await startAwsJsonEndpoint({
    port,
    targetPrefix: 'secretsmanager',
    jsonVersion: '1.1',
    actions: {
      CreateSecret: (input) => secrets.createSecret(input),
      PutSecretValue: (input) => secrets.putSecretValue(input),
      GetSecretValue: (input) => secrets.getSecretValue(input),
      DescribeSecret: (input) => secrets.describeSecret(input),
    },
  });
  return { ...endpoint, secrets };
}

/**
 * Creates every secret the templates declare (with the template's SecretString if it has one, else without a value,
 * as CloudFormation does), then gives each one `localValues` has a value for that value. Answers how many it made.
 */
export function provisionSecrets(
  secrets: SecretStore,
  described: DescribedService[],
  { localValues, log }: { localValues: Record<string, string>; log: Log },
): number {
  const declared = resourcesOf(described, 'AWS::SecretsManager::Secret');
  for (const { name, service, properties } of declared) {
    if (properties.GenerateSecretString)
      log(`    secret ${name} (${service}) asks CloudFormation to generate its value: locally it has none until one is put`);
    secrets.createSecret({ Name: name, Description: properties.Description, SecretString: properties.SecretString });
    const value = localValues[name];
    if (value !== undefined) secrets.putSecretValue({ SecretId: name, SecretString: value });
  }
  return declared.length;
}
