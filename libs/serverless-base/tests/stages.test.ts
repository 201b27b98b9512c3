import { prepareFunctions, type StageFunction } from '../stages/functions.ts';
import { type StageSettings, stageSettings } from '../stages/settings.ts';
import { protectTables, type TemplateResource } from '../stages/tables.ts';

const aliasId = (name: string) => `${name}LiveAlias`;
const route = { httpApi: { method: 'GET', path: '/orders' } };
const queue = { sqs: { arn: 'arn:aws:sqs:us-east-1:000000000000:events', functionResponseType: 'ReportBatchItemFailures' } };
const stream = { stream: { type: 'dynamodb', arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/events/stream/1' } };
const schedule = { schedule: 'rate(5 minutes)' };

function functions(): Record<string, StageFunction> {
  return {
    placeOrder: { events: [route], latencyCritical: true },
    listOrders: { events: [route] },
    consume: { events: [queue] },
    relay: { events: [stream] },
    sweep: { events: [schedule] },
  };
}

const withSettings = (overrides: Partial<StageSettings>): StageSettings => ({ ...stageSettings('dev'), ...overrides });

describe('the settings of a stage', () => {
  it('gives a stage it does not name (a personal or feature stage) the settings of dev', () => {
    expect(stageSettings('alice')).toEqual(stageSettings('dev'));
  });

  it('asks for canary releases, warm aliases, reserved consumers, function alarms and kept tables in prod only', () => {
    const asks = (stage: string) => {
      const { canary, concurrency, alarms, tables } = stageSettings(stage);
      return [
        canary !== undefined,
        concurrency.latencyCritical > 0,
        concurrency.consumers > 0,
        alarms.functionErrors,
        tables.retain,
        tables.pointInTimeRecovery,
      ];
    };

    expect(asks('prod')).toEqual([true, true, true, true, true, true]);
    expect(asks('dev')).toEqual([false, false, false, false, false, false]);
    expect(asks('local')).toEqual([false, false, false, false, false, false]);
  });
});

describe('preparing functions for a stage', () => {
  it('gives every queue and stream consumer the stage’s reserved concurrency, and caps its queue poller at it', () => {
    const prepared = functions();
    prepareFunctions(prepared, withSettings({ concurrency: { latencyCritical: 0, consumers: 10 } }), aliasId);

    expect(prepared.consume).toMatchObject({ reservedConcurrency: 10, events: [{ sqs: { ...queue.sqs, maximumConcurrency: 10 } }] });
    expect(prepared.relay).toMatchObject({ reservedConcurrency: 10, events: [stream] });
    expect(prepared.sweep?.reservedConcurrency).toBeUndefined();
    expect(prepared.listOrders?.reservedConcurrency).toBeUndefined();
  });

  it('keeps a consumer’s own reserved concurrency, and a queue limit below it', () => {
    const prepared = { consume: { events: [{ sqs: { ...queue.sqs, maximumConcurrency: 3 } }], reservedConcurrency: 5 } };
    prepareFunctions(prepared, withSettings({ concurrency: { latencyCritical: 0, consumers: 10 } }), aliasId);

    expect(prepared.consume).toMatchObject({ reservedConcurrency: 5, events: [{ sqs: { maximumConcurrency: 3 } }] });
  });

  it('invokes every HTTP function through a version and its live alias when the stage releases by canary', () => {
    const prepared = functions();
    prepareFunctions(prepared, withSettings({ canary: { deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' } }), aliasId);

    expect(prepared.placeOrder).toMatchObject({ versionFunction: true, targetAlias: { name: 'live', logicalId: 'placeOrderLiveAlias' } });
    expect(prepared.listOrders).toMatchObject({ versionFunction: true, targetAlias: { name: 'live', logicalId: 'listOrdersLiveAlias' } });
    expect(prepared.consume?.targetAlias).toBeUndefined();
  });

  it('aliases the latency-critical functions alone when the stage keeps them warm without canary releases', () => {
    const prepared = functions();
    prepareFunctions(prepared, withSettings({ concurrency: { latencyCritical: 2, consumers: 0 } }), aliasId);

    expect(Object.entries(prepared).flatMap(([name, fn]) => (fn.targetAlias ? [name] : []))).toEqual(['placeOrder']);
  });

  it('changes nothing in a stage that asks for nothing', () => {
    const prepared = functions();
    prepareFunctions(prepared, stageSettings('dev'), aliasId);

    expect(prepared).toEqual(functions());
  });

  it('refuses a function that sets its own provisioned concurrency, which would bypass the live alias', () => {
    const prepared = { placeOrder: { events: [route], provisionedConcurrency: 5 } };

    expect(() => prepareFunctions(prepared, stageSettings('prod'), aliasId)).toThrow(
      /placeOrder sets provisionedConcurrency: mark it `latencyCritical: true`/,
    );
  });
});

describe('protecting tables', () => {
  const template = (): Record<string, TemplateResource> => ({
    OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
    EventsTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { BillingMode: 'PAY_PER_REQUEST', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } },
    },
    EventsQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
  });

  it('retains every table and makes it recoverable to any second, whatever its service declared', () => {
    const resources = template();
    protectTables(resources, { retain: true, pointInTimeRecovery: true });

    for (const id of ['OrdersTable', 'EventsTable'])
      expect(resources[id]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { BillingMode: 'PAY_PER_REQUEST', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      });
    expect(resources.EventsQueue).toEqual(template().EventsQueue);
  });

  it('leaves tables as their service declared them in a stage that asks for neither', () => {
    const resources = template();
    protectTables(resources, { retain: false, pointInTimeRecovery: false });

    expect(resources).toEqual(template());
  });
});
