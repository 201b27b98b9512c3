import { type CfnTemplate, stageTemplateChecks } from '@storefront/testing';
import { packageFixture } from './package-fixture';

const alertsTopic = 'arn:aws:sns:us-east-1:000000000000:alerts';
// Packaged while the tests are collected, since each check below is one test; a few seconds without bundling.
const [dev, prod] = (['dev', 'prod'] as const).map((stage) =>
  packageFixture({ config: 'stages.yml', stage, params: { alertsTopicArn: alertsTopic } }),
) as [CfnTemplate, CfnTemplate];

describe('a service packaged by osls with the stages plugin, for dev and for prod', () => {
  // The checks every service's dev and prod templates are held to (@storefront/testing), here on osls's own output.
  for (const [name, check] of Object.entries(stageTemplateChecks({ dev, prod }, { latencyCritical: ['placeOrder'] }, alertsTopic)))
    it(name, check);

  it('points the live alias at the version just packaged, with provisioned concurrency from the prod settings', () => {
    const alias = prod.Resources.PlaceOrderLiveAlias;
    const versionId = (alias?.Properties?.FunctionVersion as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

    expect(alias?.Properties).toMatchObject({ Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    expect(prod.Resources[versionId]).toEqual({
      Type: 'AWS::Lambda::Version',
      Properties: { FunctionName: { Ref: 'PlaceOrderLambdaFunction' }, CodeSha256: expect.any(String) },
    });
  });

  it('moves the alias only after the deployment group and its alarm are in place', () => {
    expect(prod.Resources.ListOrdersLiveAlias?.DependsOn).toEqual(['ListOrdersLambdaFunction', 'ListOrdersDeploymentGroup']);
  });

  it('limits the queue poller to the reserved concurrency of its consumer', () => {
    expect(prod.Resources.ConsumeLambdaFunction?.Properties?.ReservedConcurrentExecutions).toBe(10);
    expect(prod.Resources.ConsumeEventSourceMappingSQSEventsQueue?.Properties?.ScalingConfig).toEqual({ MaximumConcurrency: 10 });
  });
});
