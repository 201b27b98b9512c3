import { readFileSync } from 'node:fs';
import { CreateTableCommand, type CreateTableCommandInput, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { parse, type Tags } from 'yaml';

/** CloudFormation's short-form intrinsics (!Ref, !GetAtt …), read as their long form. */
const INTRINSICS = ['Ref', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'ImportValue', 'If', 'Equals', 'FindInMap', 'GetAZs', 'Base64'];
const cloudFormationTags: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  const scalar = (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value });
  return [
    { tag: `!${name}`, resolve: scalar },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => ({ [key]: (value as { toJSON(): unknown }).toJSON() }) },
  ];
});

/**
 * Creates a table from the CloudFormation resource a service deploys, so a
 * test exercises the real key schema, indexes and stream settings.
 */
export async function createTableFromResource(
  client: DynamoDBClient,
  resourceFile: string,
  logicalId: string,
  tableName: string,
): Promise<string> {
  const document = parse(readFileSync(resourceFile, 'utf8'), { customTags: cloudFormationTags }) as {
    Resources: Record<string, { Type: string; Properties: Partial<CreateTableCommandInput> }>;
  };
  const resource = document.Resources[logicalId];
  if (!resource || resource.Type !== 'AWS::DynamoDB::Table') throw new Error(`${logicalId} is not a DynamoDB table in ${resourceFile}`);
  const { KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, StreamSpecification } = resource.Properties;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema,
      AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      ...(GlobalSecondaryIndexes ? { GlobalSecondaryIndexes } : {}),
      ...(StreamSpecification ? { StreamSpecification: { StreamEnabled: true, StreamViewType: StreamSpecification.StreamViewType } } : {}),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  return tableName;
}
