/**
 * Schedules on this machine: every `AWS::Events::Rule` with a ScheduleExpression and every
 * `AWS::Scheduler::Schedule` of the packaged templates, fired on time by the stack itself (serverless-offline's own
 * scheduler is switched off, so there is one path), and on demand through a small HTTP endpoint that
 * `npm run schedule -- <service>:<name>` calls. A target that is a function is invoked through the stack (its
 * concurrency limit, the trail); one that is a state machine starts an execution on the local Step Functions.
 *
 *   GET  /schedules                      every schedule, its expression, target and next time
 *   POST /schedules/<service>:<name>     fires it now; answers once the invocation or execution has ended
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_ACCOUNT_ID } from '#packaging';
import { LOCAL_REGION, nameFromArn } from '../common/aws-local.ts';
import { resourcesOf } from '../stack/layout.ts';
import type { LocalStepFunctions } from '../emulators/step-functions/step-functions.ts';
import { functionNameOf } from '../emulators/step-functions/state-machine-tasks.ts';
import type { TrailEntry } from '../stack/trail.ts';
import type { DescribedService, Invoke, Log } from '../common/types.ts';

// cron-parser is CommonJS; its AWS-less cron (five fields, Sunday = 0) is what AWS cron expressions are turned into.
const { parseExpression } = createRequire(import.meta.url)('cron-parser') as {
  parseExpression: (expression: string, options: { currentDate: Date; tz: string }) => { next: () => { toDate: () => Date } };
};

export type ScheduleTarget = { kind: 'function'; functionName: string } | { kind: 'state-machine'; arn: string };

/** A schedule of a packaged template, as the local stack runs it. */
export interface LocalSchedule {
  /** `<service>:<name>`, what `npm run schedule` takes. */
  id: string;
  service: string;
  name: string;
  logicalId: string;
  expression: string;
  timezone: string;
  enabled: boolean;
  target: ScheduleTarget;
  /** The target's input as the template writes it (Scheduler placeholders not yet filled in). */
  input: string | undefined;
  /** Where a run that could not be started goes (a Scheduler target's DeadLetterConfig), by queue name. */
  deadLetterQueue: string | undefined;
  /** The rule's or schedule's ARN, for the events and placeholders that carry it. */
  arn: string;
  kind: 'rule' | 'scheduler';
}

/** `ResolveStaleOrdersEventsRuleSchedule1` → `resolveStaleOrders`; `DailyReportSchedule` → `dailyReport`. */
export function scheduleName(logicalId: string): string {
  const name = logicalId.replace(/EventsRuleSchedule(\d+)$/, (_, n: string) => (n === '1' ? '' : n)).replace(/Schedule$/, '');
  return `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
}

function targetOf(arn: string): ScheduleTarget {
  return arn.includes(':states:') ? { kind: 'state-machine', arn } : { kind: 'function', functionName: functionNameOf(arn) };
}

/** Every schedule the described templates declare. */
export function schedulesOf(described: DescribedService[]): LocalSchedule[] {
  const rules = resourcesOf(described, 'AWS::Events::Rule')
    .filter((r) => r.properties.ScheduleExpression)
    .flatMap(({ service, logicalId, properties }) =>
      ((properties.Targets ?? []) as { Arn: string; Input?: string }[]).map((target, i) => ({
        service,
        logicalId: i === 0 ? logicalId : `${logicalId}${i + 1}`,
        name: scheduleName(logicalId) + (i === 0 ? '' : String(i + 1)),
        expression: String(properties.ScheduleExpression),
        timezone: 'UTC',
        enabled: properties.State !== 'DISABLED',
        target: targetOf(target.Arn),
        input: target.Input,
        deadLetterQueue: undefined,
        arn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${String(properties.Name ?? logicalId)}`,
        kind: 'rule' as const,
      })),
    );
  const schedules = resourcesOf(described, 'AWS::Scheduler::Schedule').map(({ service, logicalId, properties }) => {
    const target = properties.Target as { Arn: string; Input?: string; DeadLetterConfig?: { Arn?: string } };
    return {
      service,
      logicalId,
      name: scheduleName(logicalId),
      expression: String(properties.ScheduleExpression),
      timezone: String(properties.ScheduleExpressionTimezone ?? 'UTC'),
      enabled: properties.State !== 'DISABLED',
      target: targetOf(target.Arn),
      input: target.Input,
      deadLetterQueue: target.DeadLetterConfig?.Arn ? nameFromArn(target.DeadLetterConfig.Arn) : undefined,
      arn: `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:schedule/default/${String(properties.Name ?? logicalId)}`,
      kind: 'scheduler' as const,
    };
  });
  return [...rules, ...schedules].map((schedule) => ({ ...schedule, id: `${schedule.service}:${schedule.name}` }));
}

const RATE_UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * When a schedule fires next after `after`: `rate(n unit)` every n units from `since` (as AWS counts from when the
 * rule was created), `cron(min hour day-of-month month day-of-week year)` in the schedule's time zone, `at(time)`
 * once. AWS numbers the days of the week 1-7 from Sunday; names (MON-FRI) read the same. Undefined: never again.
 */
export function nextFire(expression: string, timezone: string, after: Date, since: Date): Date | undefined {
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression);
  if (rate) {
    const every = Number(rate[1]) * (RATE_UNITS[rate[2] as string] as number);
    return new Date(since.getTime() + (Math.floor((after.getTime() - since.getTime()) / every) + 1) * every);
  }
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (at) {
    const when = zonedTime(at[1] as string, timezone);
    return when > after ? when : undefined;
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (!cron) throw new Error(`${expression} is not a rate, cron or at expression`);
  const fields = (cron[1] as string).trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`${expression} does not have the six fields of an AWS cron expression`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  // AWS counts Sunday as 1; cron-parser as 0.
  const weekDays = dayOfWeek.replace(/\d+/g, (day, offset: number, text: string) =>
    text[offset - 1] === '#' ? day : String(Number(day) - 1),
  );
  const dates = parseExpression([minutes, hours, dayOfMonth, month, weekDays].join(' '), { currentDate: after, tz: timezone });
  for (let i = 0; i < 1000; i++) {
    const next = dates.next().toDate();
    if (yearMatches(year, next.getUTCFullYear())) return next;
  }
  return undefined;
}

function yearMatches(field: string, year: number): boolean {
  if (field === '*' || field === '?') return true;
  return field.split(',').some((part) => {
    const [range, step = '1'] = part.split('/');
    const [from, to = range === '*' ? '9999' : from] = (range as string).split('-');
    return (
      year >= Number(from === '*' ? 1970 : from) && year <= Number(to) && (year - Number(from === '*' ? 1970 : from)) % Number(step) === 0
    );
  });
}

/** A wall-clock time in a time zone as an instant. */
function zonedTime(local: string, timezone: string): Date {
  const asUtc = new Date(`${local}Z`);
  const inZone = new Date(asUtc.toLocaleString('en-US', { timeZone: timezone }));
  const asUtcWall = new Date(asUtc.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(asUtc.getTime() - (inZone.getTime() - asUtcWall.getTime()));
}

/** Scheduler's time format in placeholders and events: seconds, no fraction. */
const awsTime = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;

/** What a fired schedule did. */
export type FireResult =
  | { schedule: string; target: 'function'; function: string; ok: boolean; payload: unknown }
  | { schedule: string; target: 'state-machine'; executionArn: string; status: string; output?: unknown; error?: string; cause?: string }
  | { schedule: string; target: 'state-machine'; executionArn?: undefined; status: 'NOT_STARTED'; error: string };

export interface LocalSchedulerOptions {
  schedules: LocalSchedule[];
  invoke: Invoke;
  stepFunctions: Pick<LocalStepFunctions, 'startExecution' | 'describeExecution' | 'finished'>;
  sqs?: SQSClient;
  record?: (entry: TrailEntry) => void;
  log: Log;
  now?: () => Date;
}

/** Fires schedules on time and on demand, one code path for both. */
export class LocalScheduler {
  readonly schedules: LocalSchedule[];
  readonly #options: LocalSchedulerOptions;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #next = new Map<string, Date | undefined>();
  readonly #started: Date;

  constructor(options: LocalSchedulerOptions) {
    this.#options = options;
    this.schedules = options.schedules;
    this.#started = this.#now();
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  find(id: string): LocalSchedule | undefined {
    const [service, name] = id.includes(':') ? id.split(':') : [undefined, id];
    return this.schedules.find(
      (s) => (service === undefined || s.service === service) && (s.name === name || s.logicalId === name || s.arn.endsWith(`/${name}`)),
    );
  }

  nextTime(schedule: LocalSchedule): Date | undefined {
    return this.#next.get(schedule.id);
  }

  /** Arms every enabled schedule; answers the lines that list them. */
  start(): string[] {
    return this.schedules.map((schedule) => {
      const target =
        schedule.target.kind === 'function' ? schedule.target.functionName : `state machine ${nameFromArn(schedule.target.arn)}`;
      let when: string;
      try {
        if (schedule.enabled) this.#arm(schedule, this.#now());
        const next = this.#next.get(schedule.id);
        when = !schedule.enabled ? 'disabled' : next ? `next ${next.toISOString()}` : 'never again';
      } catch (error) {
        when = `not run on time here: ${(error as Error).message}`;
      }
      const zone = schedule.expression.startsWith('rate(') ? '' : ` ${schedule.timezone}`;
      return `${schedule.id}  ${schedule.expression}${zone} → ${target} (${when})`;
    });
  }

  #arm(schedule: LocalSchedule, after: Date): void {
    const next = nextFire(schedule.expression, schedule.timezone, after, this.#started);
    this.#next.set(schedule.id, next);
    if (!next) return;
    // setTimeout holds at most ~24.8 days; a later time is re-armed on the way.
    const delay = Math.min(next.getTime() - this.#now().getTime(), 2 ** 31 - 1);
    const timer = setTimeout(
      () => {
        if (this.#now() < next) return this.#arm(schedule, after);
        this.#arm(schedule, next);
        this.fire(schedule, next).then(
          (result) => this.#options.log(`  schedule ${schedule.id} fired: ${summary(result)}`),
          (error: Error) => this.#options.log(`  schedule ${schedule.id} failed to fire: ${error.message}`),
        );
      },
      Math.max(0, delay),
    );
    timer.unref();
    this.#timers.set(schedule.id, timer);
  }

  /** Fires a schedule as AWS would at `scheduledTime`, and answers once its invocation or execution has ended. */
  async fire(schedule: LocalSchedule, scheduledTime: Date = this.#now()): Promise<FireResult> {
    const executionId = randomUUID();
    this.#options.record?.({ kind: 'schedule-fired', service: schedule.service, schedule: schedule.name, correlationId: executionId });
    const input = this.#input(schedule, scheduledTime, executionId);
    if (schedule.target.kind === 'function') {
      const { ok, payload } = await this.#options.invoke(schedule.target.functionName, input as Record<string, unknown>);
      this.#options.record?.({
        kind: ok ? 'invoked' : 'invocation-failed',
        service: schedule.service,
        function: schedule.target.functionName,
        correlationId: executionId,
      });
      if (!ok) await this.#deadLetter(schedule, input, `the function failed: ${JSON.stringify(payload)}`);
      return { schedule: schedule.id, target: 'function', function: schedule.target.functionName, ok, payload };
    }
    let executionArn: string;
    try {
      // Scheduler names each execution it starts itself; the input carries what the run needs.
      ({ executionArn } = this.#options.stepFunctions.startExecution({
        stateMachineArn: schedule.target.arn,
        input: JSON.stringify(input),
      }));
    } catch (error) {
      await this.#deadLetter(schedule, input, (error as Error).message);
      return { schedule: schedule.id, target: 'state-machine', status: 'NOT_STARTED', error: (error as Error).message };
    }
    await this.#options.stepFunctions.finished(executionArn);
    const { status, output, error, cause } = this.#options.stepFunctions.describeExecution({ executionArn }) as {
      status: string;
      output?: string;
      error?: string;
      cause?: string;
    };
    return {
      schedule: schedule.id,
      target: 'state-machine',
      executionArn,
      status,
      ...(output !== undefined ? { output: JSON.parse(output) as unknown } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    };
  }

  /** The target's input: the template's (Scheduler's placeholders filled in), or a rule's "Scheduled Event". */
  #input(schedule: LocalSchedule, scheduledTime: Date, executionId: string): unknown {
    if (schedule.input !== undefined) {
      const filled =
        schedule.kind === 'scheduler'
          ? schedule.input
              .replaceAll('<aws.scheduler.scheduled-time>', awsTime(scheduledTime))
              .replaceAll('<aws.scheduler.execution-id>', executionId)
              .replaceAll('<aws.scheduler.schedule-arn>', schedule.arn)
              .replaceAll('<aws.scheduler.attempt-number>', '1')
          : schedule.input;
      return JSON.parse(filled);
    }
    if (schedule.kind === 'scheduler') return {};
    return {
      version: '0',
      id: executionId,
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: LOCAL_ACCOUNT_ID,
      time: awsTime(scheduledTime),
      region: LOCAL_REGION,
      resources: [schedule.arn],
      detail: {},
    };
  }

  async #deadLetter(schedule: LocalSchedule, input: unknown, reason: string): Promise<void> {
    this.#options.log(`  schedule ${schedule.id} could not run its target: ${reason}`);
    const { sqs } = this.#options;
    if (!schedule.deadLetterQueue || !sqs) return;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: schedule.deadLetterQueue }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(input) }));
  }

  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

function summary(result: FireResult): string {
  if (result.target === 'function') return `${result.function} ${result.ok ? 'answered' : 'failed'}`;
  return `${result.executionArn ?? 'no execution'} ${result.status}${result.error ? ` (${result.error})` : ''}`;
}

/** The scheduler with its on-demand endpoint. */
export async function startScheduler(options: LocalSchedulerOptions & { port: number }): Promise<{
  scheduler: LocalScheduler;
  lines: string[];
  url: string;
  close: () => Promise<void>;
}> {
  const scheduler = new LocalScheduler(options);
  const answer = (response: import('node:http').ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (request.method === 'GET' && path === '/schedules') {
      return answer(
        response,
        200,
        scheduler.schedules.map((s) => ({
          id: s.id,
          expression: s.expression,
          timezone: s.timezone,
          enabled: s.enabled,
          target: s.target,
          next: scheduler.nextTime(s)?.toISOString() ?? null,
        })),
      );
    }
    const fire = /^\/schedules\/([^/]+)$/.exec(path);
    if (request.method === 'POST' && fire) {
      const schedule = scheduler.find(fire[1] as string);
      if (!schedule) return answer(response, 404, { error: `no schedule ${fire[1]}`, schedules: scheduler.schedules.map((s) => s.id) });
      scheduler.fire(schedule).then(
        (result) => answer(response, 200, result),
        (error: Error) => answer(response, 500, { error: error.message }),
      );
      return;
    }
    answer(response, 404, { error: 'GET /schedules or POST /schedules/<service>:<name>' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const lines = scheduler.start();
  return {
    scheduler,
    lines,
    url: `http://127.0.0.1:${options.port}`,
    close: async () => {
      scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
