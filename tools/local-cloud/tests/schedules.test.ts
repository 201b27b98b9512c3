import { LocalScheduler, nextFire, scheduleName, type LocalSchedule } from '../src/event-sources/schedules.ts';
import type { Invoke } from '../src/common/types.ts';

const at = (iso: string) => new Date(iso);

describe('when a schedule fires next', () => {
  const since = at('2026-03-01T10:02:30.000Z');

  it('fires a rate every interval from when it was set up, as EventBridge counts it', () => {
    expect(nextFire('rate(5 minutes)', 'UTC', at('2026-03-01T10:02:30.000Z'), since)).toEqual(at('2026-03-01T10:07:30.000Z'));
    expect(nextFire('rate(5 minutes)', 'UTC', at('2026-03-01T10:09:00.000Z'), since)).toEqual(at('2026-03-01T10:12:30.000Z'));
    expect(nextFire('rate(1 hour)', 'UTC', since, since)).toEqual(at('2026-03-01T11:02:30.000Z'));
  });

  it('reads AWS cron: six fields, ? for either day field, days of the week counted from Sunday = 1', () => {
    expect(nextFire('cron(15 0 * * ? *)', 'UTC', at('2026-03-01T10:00:00.000Z'), since)).toEqual(at('2026-03-02T00:15:00.000Z'));
    expect(nextFire('cron(15 0 * * ? *)', 'UTC', at('2026-03-01T00:10:00.000Z'), since)).toEqual(at('2026-03-01T00:15:00.000Z'));
    // 2026-03-01 is a Sunday: 2 = Monday, MON too.
    expect(nextFire('cron(0 9 ? * 2 *)', 'UTC', at('2026-03-01T10:00:00.000Z'), since)).toEqual(at('2026-03-02T09:00:00.000Z'));
    expect(nextFire('cron(0 9 ? * MON-FRI *)', 'UTC', at('2026-03-01T10:00:00.000Z'), since)).toEqual(at('2026-03-02T09:00:00.000Z'));
  });

  it('fires a cron in the schedule’s time zone', () => {
    expect(nextFire('cron(30 8 * * ? *)', 'Europe/Berlin', at('2026-03-01T10:00:00.000Z'), since)).toEqual(at('2026-03-02T07:30:00.000Z'));
  });

  it('honours the year field, and fires a one-time schedule once', () => {
    expect(nextFire('cron(0 0 1 1 ? 2028)', 'UTC', at('2026-03-01T00:00:00.000Z'), since)).toEqual(at('2028-01-01T00:00:00.000Z'));
    expect(nextFire('at(2026-03-05T12:00:00)', 'UTC', at('2026-03-01T00:00:00.000Z'), since)).toEqual(at('2026-03-05T12:00:00.000Z'));
    expect(nextFire('at(2026-02-05T12:00:00)', 'UTC', at('2026-03-01T00:00:00.000Z'), since)).toBeUndefined();
  });

  it('refuses what it cannot read', () => {
    expect(() => nextFire('every night', 'UTC', since, since)).toThrow('not a rate, cron or at expression');
  });
});

describe('schedules by name', () => {
  it('names a function’s schedule after the function, and a declared schedule after its logical id', () => {
    expect(scheduleName('ResolveStaleOrdersEventsRuleSchedule1')).toBe('resolveStaleOrders');
    expect(scheduleName('ResolveStaleOrdersEventsRuleSchedule2')).toBe('resolveStaleOrders2');
    expect(scheduleName('DailyReportSchedule')).toBe('dailyReport');
  });
});

const schedule = (overrides: Partial<LocalSchedule>): LocalSchedule => ({
  id: 'reporting:dailyReport',
  service: 'reporting',
  name: 'dailyReport',
  logicalId: 'DailyReportSchedule',
  expression: 'cron(15 0 * * ? *)',
  timezone: 'UTC',
  enabled: true,
  target: { kind: 'state-machine', arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:storefront-local-daily-report' },
  input: '{"trigger":"schedule","scheduledTime":"<aws.scheduler.scheduled-time>","correlationId":"<aws.scheduler.execution-id>"}',
  deadLetterQueue: undefined,
  arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/storefront-local-daily-report',
  kind: 'scheduler',
  ...overrides,
});

function scheduler(schedules: LocalSchedule[], invoke: Invoke = async () => ({ ok: true, payload: { done: true } })) {
  const started: { stateMachineArn: string; input: string }[] = [];
  const trail: unknown[] = [];
  const local = new LocalScheduler({
    schedules,
    invoke,
    stepFunctions: {
      startExecution: (input) => {
        started.push(input as { stateMachineArn: string; input: string });
        return { executionArn: 'arn:execution:1', startDate: 0 };
      },
      finished: async () => undefined,
      describeExecution: () => ({ status: 'SUCCEEDED', output: '{"days":[]}' }) as never,
    },
    record: (entry) => trail.push(entry),
    log: () => undefined,
  });
  return { local, started, trail };
}

describe('firing a schedule', () => {
  it('starts a state machine target with Scheduler’s placeholders filled in, and answers how the execution ended', async () => {
    const { local, started } = scheduler([schedule({})]);

    const result = await local.fire(schedule({}), at('2026-03-02T00:15:00.000Z'));

    expect(result).toEqual({
      schedule: 'reporting:dailyReport',
      target: 'state-machine',
      executionArn: 'arn:execution:1',
      status: 'SUCCEEDED',
      output: { days: [] },
    });
    expect(JSON.parse(started[0]?.input ?? '{}')).toEqual({
      trigger: 'schedule',
      scheduledTime: '2026-03-02T00:15:00Z',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('invokes a rule’s function with a Scheduled Event, as EventBridge does', async () => {
    const events: unknown[] = [];
    const rule = schedule({
      id: 'orders:resolveStaleOrders',
      service: 'orders',
      name: 'resolveStaleOrders',
      kind: 'rule',
      input: undefined,
      expression: 'rate(5 minutes)',
      target: { kind: 'function', functionName: 'storefront-orders-local-resolveStaleOrders' },
    });
    const { local, trail } = scheduler([rule], async (_name, event) => {
      events.push(event);
      return { ok: true, payload: { resolved: [] } };
    });

    const result = await local.fire(rule, at('2026-03-02T00:15:00.000Z'));

    expect(result).toMatchObject({ target: 'function', function: 'storefront-orders-local-resolveStaleOrders', ok: true });
    expect(events).toEqual([
      expect.objectContaining({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-03-02T00:15:00Z' }),
    ]);
    expect(trail).toEqual([
      expect.objectContaining({ kind: 'schedule-fired', service: 'orders', schedule: 'resolveStaleOrders' }),
      expect.objectContaining({ kind: 'invoked', function: 'storefront-orders-local-resolveStaleOrders' }),
    ]);
  });

  it('finds a schedule by <service>:<name>, its logical id or its name alone', () => {
    const { local } = scheduler([schedule({})]);

    expect([local.find('reporting:dailyReport'), local.find('reporting:DailyReportSchedule'), local.find('dailyReport')]).toEqual([
      expect.objectContaining({ id: 'reporting:dailyReport' }),
      expect.objectContaining({ id: 'reporting:dailyReport' }),
      expect.objectContaining({ id: 'reporting:dailyReport' }),
    ]);
    expect(local.find('orders:dailyReport')).toBeUndefined();
  });

  it('lists each schedule with its target and next time, and arms none that is disabled', () => {
    const { local } = scheduler([schedule({}), schedule({ id: 'reporting:off', name: 'off', enabled: false })]);

    const lines = local.start();
    local.stop();

    expect(lines).toEqual([
      expect.stringMatching(
        /^reporting:dailyReport {2}cron\(15 0 \* \* \? \*\) UTC → state machine storefront-local-daily-report \(next .*T00:15:00\.000Z\)$/,
      ),
      expect.stringContaining('(disabled)'),
    ]);
  });
});
