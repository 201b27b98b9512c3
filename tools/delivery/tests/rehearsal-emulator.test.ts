import {
  type CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '../src/rehearsal/emulator.ts';
import { cloudFormation } from '../src/rehearsal/stacks.ts';

/** Each compatibility patch of moto_patches.py, shown by a small stack that fails on moto 5.2 without it. */
describe("the rehearsal's emulator (moto with our patches)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rehearsal-emulator-'));
  let emulator: Emulator;
  let client: CloudFormationClient;
  let stacks = 0;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'rehearsal';
    process.env.AWS_SECRET_ACCESS_KEY = 'rehearsal';
    emulator = await startEmulator(join(dir, 'moto.log'));
    client = cloudFormation(emulator.endpoint);
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const template = (resources: object, outputs: object = {}) =>
    JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources, Outputs: outputs });

  /** Deploys a template as osls does, through a change set, and answers the stack's status and outputs. */
  async function deploy(body: string): Promise<{ status: string; outputs: Record<string, string>; name: string }> {
    const name = `patch-${++stacks}`;
    await client.send(
      new CreateChangeSetCommand({ StackName: name, ChangeSetName: `${name}-change-set`, ChangeSetType: 'CREATE', TemplateBody: body }),
    );
    await client.send(new ExecuteChangeSetCommand({ StackName: name, ChangeSetName: `${name}-change-set` }));
    const stack = (await client.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
    return {
      name,
      status: stack?.StackStatus ?? 'missing',
      outputs: Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue])),
    };
  }

  const queue = { Type: 'AWS::SQS::Queue', Properties: {} };

  it('accepts a template cfn-lint only warns about, as CloudFormation does', async () => {
    const redundantDependsOn = template({
      Queue: queue,
      Topic: { Type: 'AWS::SNS::Topic', DependsOn: 'Queue', Properties: { TopicName: { 'Fn::GetAtt': ['Queue', 'QueueName'] } } },
    });

    await expect(client.send(new ValidateTemplateCommand({ TemplateBody: redundantDependsOn }))).resolves.toBeDefined();
  });

  it('keeps the outputs and exports of a stack created from a change set, and deletes it cleanly', async () => {
    const stack = await deploy(
      template({ Queue: queue }, { QueueArn: { Value: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Export: { Name: 'queue-arn' } } }),
    );

    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.outputs.QueueArn).toMatch(/^arn:aws:sqs:us-east-1:\d+:/);
    await expect(client.send(new DeleteStackCommand({ StackName: stack.name }))).resolves.toBeDefined();
  });

  it('deploys an allowed unmodelled type as a placeholder whose Ref and GetAtt reach the outputs', async () => {
    const stack = await deploy(
      template(
        { Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: {} }, Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} } },
        { AlarmName: { Value: { Ref: 'Alarm' } }, PoolArn: { Value: { 'Fn::GetAtt': ['Pool', 'Arn'] } } },
      ),
    );

    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.outputs.AlarmName).toMatch(/^[a-z0-9]{10}$/);
    expect(stack.outputs.PoolArn).toMatch(/^arn:aws:cognito:/);
  });

  it('refuses a type that is neither modelled nor on the allow-list, naming it', async () => {
    const body = template({ Acl: { Type: 'AWS::WAFv2::WebACL', Properties: {} } });

    await expect(client.send(new CreateStackCommand({ StackName: 'unlisted', TemplateBody: body }))).rejects.toThrow();
    await expect(deploy(body)).rejects.toThrow();
    expect(readFileSync(emulator.logFile, 'utf8')).toMatch(/does not model AWS::WAFv2::WebACL/);
  });

  it('creates an HTTP API in API Gateway, so a service can attach its routes to it by id', async () => {
    const stack = await deploy(
      template(
        { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'shop', ProtocolType: 'HTTP' } } },
        { ApiId: { Value: { Ref: 'Api' } } },
      ),
    );

    const answer = await fetch(`${emulator.endpoint}/v2/apis/${stack.outputs.ApiId}`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=rehearsal/20260101/us-east-1/apigateway/aws4_request' },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ name: 'shop', protocolType: 'HTTP' });
  });

  it('refuses a stage whose route settings name a route the API does not have yet, and takes one that exists', async () => {
    const api = { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'shop', ProtocolType: 'HTTP' } };
    const stage = (dependsOn: string[]) => ({
      Type: 'AWS::ApiGatewayV2::Stage',
      DependsOn: dependsOn,
      Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', RouteSettings: { 'POST /orders': { ThrottlingRateLimit: 5 } } },
    });
    const route = { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'POST /orders' } };

    await expect(deploy(template({ Api: api, Stage: stage([]) }))).rejects.toThrow();
    expect(readFileSync(emulator.logFile, 'utf8')).toMatch(/Unable to find Route by key POST \/orders/);
    await expect(deploy(template({ Api: api, Route: route, Stage: stage(['Route']) }))).resolves.toMatchObject({
      status: 'CREATE_COMPLETE',
    });
  });

  it('reads Fn::Sub variables whose names start with a digit', async () => {
    const stack = await deploy(
      template({ Queue: queue }, { Named: { Value: { 'Fn::Sub': ['${1a2b}-${Queue.QueueName}', { '1a2b': 'hash' }] } } }),
    );

    expect(stack.outputs.Named).toMatch(/^hash-\S+/);
  });

  it("creates a function's version and live alias, and a permission on the alias declared before it", async () => {
    const role = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
    };
    const stack = await deploy(
      template(
        {
          Permission: {
            Type: 'AWS::Lambda::Permission',
            DependsOn: 'Alias',
            Properties: {
              FunctionName: { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['Function', 'Arn'] }, 'live']] },
              Action: 'lambda:InvokeFunction',
              Principal: 'apigateway.amazonaws.com',
            },
          },
          Role: role,
          Function: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Runtime: 'nodejs22.x',
              Handler: 'index.handler',
              Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
              Code: { ZipFile: 'export const handler = async () => 1;' },
            },
          },
          Version: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Function' } } },
          Alias: {
            Type: 'AWS::Lambda::Alias',
            Properties: { FunctionName: { Ref: 'Function' }, FunctionVersion: { 'Fn::GetAtt': ['Version', 'Version'] }, Name: 'live' },
          },
        },
        { VersionArn: { Value: { Ref: 'Version' } }, AliasArn: { Value: { Ref: 'Alias' } } },
      ),
    );

    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.outputs.VersionArn).toMatch(/^arn:aws:lambda:.*:function:.*:1$/);
    expect(stack.outputs.AliasArn).toMatch(/^arn:aws:lambda:.*:function:.*:live$/);
  });
});
