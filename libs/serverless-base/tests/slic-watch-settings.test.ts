import { createRequire } from 'node:module';

interface Context {
  options: { stage?: string };
  resolveVariable: (variable: string) => Promise<unknown>;
}
type SlicWatchConfig = {
  enabled: boolean;
  alarmActionsConfig?: { alarmActions: unknown[]; okActions: unknown[] };
  alarms?: Record<string, Record<string, { enabled?: boolean; Threshold?: number }>>;
  dashboard?: { enabled: boolean };
};
const base = createRequire(import.meta.url)('../serverless.base.cjs') as {
  slicWatch: (context: Context) => Promise<SlicWatchConfig>;
  platformSlicWatch: (context: Context) => Promise<SlicWatchConfig>;
};

const topic = { Ref: 'AlertsTopic' };
const context = (stage: string): Context => ({
  options: { stage },
  resolveVariable: async (variable) => (variable === 'self:custom.alerts.topicArn' ? topic : undefined),
});

describe("the base config's custom.slicWatch", () => {
  it('is off locally, where there is no CloudWatch', async () => {
    expect(await base.slicWatch(context('local'))).toEqual({ enabled: false });
  });

  it("alarms to the service's alerts topic and adds a dashboard in dev and prod; the platform's dashboard is its own", async () => {
    for (const stage of ['dev', 'prod', 'alice']) {
      const config = await base.slicWatch(context(stage));

      expect(config).toMatchObject({ enabled: true, dashboard: { enabled: true } });
      expect(config.alarmActionsConfig).toMatchObject({ alarmActions: [topic], okActions: [topic] });
      expect((await base.platformSlicWatch(context(stage))).dashboard).toEqual({ enabled: false, timeRange: { start: '-PT3H' } });
    }
  });

  it("leaves function errors to the repo's own alarm where the stage has it (prod, the canary's), and to slic-watch elsewhere", async () => {
    expect((await base.slicWatch(context('prod'))).alarms?.Lambda?.Errors?.enabled).toBe(false);
    expect((await base.slicWatch(context('dev'))).alarms?.Lambda?.Errors?.enabled).toBe(true);
  });

  it('alarms earlier in prod than in dev', async () => {
    const dev = await base.slicWatch(context('dev'));
    const prod = await base.slicWatch(context('prod'));
    const threshold = (config: SlicWatchConfig, kind: string, metric: string) => config.alarms?.[kind]?.[metric]?.Threshold ?? NaN;

    for (const [kind, metric] of [
      ['Lambda', 'DurationPc'],
      ['Lambda', 'ThrottlesPc'],
      ['Lambda', 'IteratorAge'],
      ['SQS', 'AgeOfOldestMessage'],
      ['DynamoDB', 'ReadThrottleEvents'],
    ] as const)
      expect({ [`${kind}.${metric}`]: threshold(prod, kind, metric) < threshold(dev, kind, metric) }).toEqual({
        [`${kind}.${metric}`]: true,
      });
  });

  it('never alarms on SQS in-flight messages or on DynamoDB UserErrors (no table dimension)', async () => {
    for (const stage of ['dev', 'prod']) {
      const { alarms } = await base.slicWatch(context(stage));

      expect([alarms?.SQS?.InFlightMessagesPc?.enabled, alarms?.DynamoDB?.UserErrors?.enabled]).toEqual([false, false]);
    }
  });
});
