import { Groups, Scopes } from '@storefront/contracts';
import { requirePackagedTemplate } from '@storefront/testing';

const template = requirePackagedTemplate('platform');
const resource = (id: string) => template.Resources[id]?.Properties;

describe('who may call the shared HTTP API', () => {
  it('has a user pool with the customers and admins groups the route contracts name', () => {
    const groups = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
      .map((r) => r.Properties?.GroupName);

    expect(template.Resources.UserPool?.Type).toBe('AWS::Cognito::UserPool');
    expect(groups.sort()).toEqual(Object.values(Groups).sort());
  });

  it('declares the scopes the route contracts ask for on the storefront resource server, and lets the browser client request them', () => {
    const server = resource('ApiResourceServer') as { Identifier: string; Scopes: { ScopeName: string }[] };
    const declared = server.Scopes.map((scope) => `${server.Identifier}/${scope.ScopeName}`);

    expect(declared.sort()).toEqual(Object.values(Scopes).sort());
    expect(resource('BrowserClient')).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: expect.arrayContaining(Object.values(Scopes)),
    });
  });

  it('checks tokens with one JWT authorizer on the API: the pool as issuer, the browser client as audience, and outputs its id', () => {
    expect(resource('HttpApiAuthorizer')).toEqual({
      ApiId: { Ref: 'HttpApi' },
      Name: 'storefront-local-cognito',
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}' },
        Audience: [{ Ref: 'BrowserClient' }],
      },
    });
    expect((template as { Outputs?: Record<string, unknown> }).Outputs?.HttpApiAuthorizerId).toEqual({
      Value: { Ref: 'HttpApiAuthorizer' },
    });
  });
});

describe('abuse resistance', () => {
  it('allows the browser client its origin, the headers the API reads and the ones clients need to see', () => {
    expect(resource('HttpApi')).toMatchObject({
      CorsConfiguration: {
        AllowOrigins: ['http://localhost:3000'],
        AllowHeaders: expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'x-correlation-id']),
        ExposeHeaders: expect.arrayContaining(['location', 'x-correlation-id']),
      },
    });
    expect(resource('BrowserClient')).toMatchObject({ CallbackURLs: ['http://localhost:3000/callback'] });
  });
});

describe.each(['dev', 'prod'])('what the platform watches in %s', (stage) => {
  const watched = requirePackagedTemplate('platform', stage);
  const ofType = (type: string) => Object.entries(watched.Resources).filter(([, r]) => r.Type === type);
  const alerts = [{ Ref: 'AlertsTopic' }];
  const dashboardBody = () => {
    const body = (watched.Resources.SystemDashboard?.Properties?.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    return JSON.parse(body) as { widgets: { properties: { title: string; metrics: unknown[][] } }[] };
  };
  const widget = (title: RegExp) => dashboardBody().widgets.find((w) => title.test(w.properties.title))?.properties.metrics ?? [];

  it('has one dashboard, the system dashboard, which names only its own resources and pseudo parameters', () => {
    const body = (watched.Resources.SystemDashboard?.Properties?.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    const substituted = [...body.matchAll(/\$\{([^}]+)\}/g)].map(([, name]) => String(name).split('.')[0] ?? '');

    expect(ofType('AWS::CloudWatch::Dashboard').map(([id]) => id)).toEqual(['SystemDashboard']);
    expect(watched.Resources.SystemDashboard?.Properties?.DashboardName).toBe(`storefront-${stage}-system`);
    expect(substituted.filter((name) => !name.startsWith('AWS::') && !watched.Resources[name])).toEqual([]);
  });

  it("charts the saga from the services' business counts: placed, confirmed, payment failed and rejected per minute", () => {
    const counted = (metrics: unknown[][]) => metrics.map((m) => `${String(m[3])}:${String(m[1])}`);

    expect(counted(widget(/^Orders per minute/))).toEqual([
      'storefront-orders:OrderPlaced',
      'storefront-orders:OrderConfirmed',
      'storefront-orders:OrderPaymentFailed',
    ]);
    expect(counted(widget(/^Orders rejected/))).toEqual([
      'storefront-orders:OrderRejected',
      'storefront-orders:StalePendingOrders',
      'storefront-orders:StaleReservedOrders',
    ]);
    for (const metrics of [widget(/^Orders per minute/), widget(/^Orders rejected/)])
      for (const m of metrics) expect(m[0]).toBe('storefront');
  });

  it("charts every failure queue of the stage by its name, and the checkout workflow's failed, timed-out and aborted executions", () => {
    const [[search]] = widget(/failure queues/) as [[{ expression: string }]];
    const checkout = widget(/^Checkout executions/).map((m) => [m[1], m[3]]);

    expect(search.expression).toBe(
      `SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" storefront ${stage} (dlq OR failed)', 'Maximum', 60)`,
    );
    const arn = `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:storefront-${stage}-checkout`;
    expect(checkout).toEqual(['ExecutionsStarted', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((m) => [m, arn]));
  });

  it("alarms on the HTTP API's 5xx and p99 latency at the stage's thresholds (slic-watch has no HTTP API alarms)", () => {
    const thresholds = stage === 'prod' ? { errors: 0, latency: 2000 } : { errors: 5, latency: 5000 };
    const dimensions = [
      { Name: 'ApiId', Value: { Ref: 'HttpApi' } },
      { Name: 'Stage', Value: '$default' },
    ];

    expect(propertiesOf(watched, 'HttpApiServerErrorsAlarm')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: dimensions,
      Threshold: thresholds.errors,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: alerts,
    });
    expect(propertiesOf(watched, 'HttpApiLatencyAlarm')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: dimensions,
      ExtendedStatistic: 'p99',
      Threshold: thresholds.latency,
      AlarmActions: alerts,
    });
  });

  it('has slic-watch alarm on failed and malformed deliveries of the four event topics, not of the alerts topic itself', () => {
    const topicAlarms = ofType('AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties?.Namespace === 'AWS/SNS')
      .map(([, a]) => {
        expect(a.Properties?.AlarmActions).toEqual(alerts);
        const [dimension] = a.Properties?.Dimensions as { Value: { 'Fn::GetAtt': [string, string] } }[];
        return `${String(a.Properties?.MetricName)} ${dimension?.Value['Fn::GetAtt'][0]}`;
      });

    expect(topicAlarms.sort()).toEqual(
      ['OrdersTopic', 'InventoryTopic', 'PaymentsTopic', 'ReportsTopic']
        .flatMap((topic) => [`NumberOfNotificationsFailed ${topic}`, `NumberOfNotificationsFilteredOut-InvalidAttributes ${topic}`])
        .sort(),
    );
  });
});

function propertiesOf(template: ReturnType<typeof requirePackagedTemplate>, id: string) {
  return template.Resources[id]?.Properties;
}
