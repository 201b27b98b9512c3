#!/usr/bin/env node
/**
 * `npm run schedule -- <service>:<name>`: fires a schedule of the running local stack now, through the same path
 * the stack fires it on time, waits until its function answered or its workflow execution ended, and prints
 * the outcome, e.g. `npm run schedule -- reporting:dailyReport` (yesterday's report) or
 * `npm run schedule -- orders:resolveStaleOrders` (the stale-order check). Without a name it lists them.
 *   --base-port <n>    the stack's base port (default 4000, or STOREFRONT_BASE_PORT)
 * On AWS a schedule cannot be fired early; start its target instead (`aws stepfunctions start-execution`,
 * `aws lambda invoke`) with the input the schedule would send.
 */
import { parseArgs } from 'node:util';
import { composeServices } from '#packaging';
import { portsFor } from '../stack/layout.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'base-port': { type: 'string', default: process.env.STOREFRONT_BASE_PORT ?? '4000' } },
});
const [wanted] = positionals;
const endpoint = `http://127.0.0.1:${portsFor(Number(values['base-port']), composeServices()).schedules}`;

async function call(method: string, path: string): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(`${endpoint}${path}`, { method });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    console.error(`No local stack answers on ${endpoint} (${(error as Error).message}): start it with \`npm start\`, or pass --base-port.`);
    process.exit(1);
  }
}

if (!wanted) {
  const { body } = await call('GET', '/schedules');
  for (const schedule of body as { id: string; expression: string; timezone: string; next: string | null; enabled: boolean }[])
    console.log(
      `${schedule.id.padEnd(32)} ${schedule.expression} ${schedule.timezone}  ${schedule.enabled ? `next ${schedule.next}` : 'disabled'}`,
    );
  console.log('\nFire one now: npm run schedule -- <service>:<name>');
  process.exit(0);
}

const { status, body } = await call('POST', `/schedules/${encodeURIComponent(wanted)}`);
console.log(JSON.stringify(body, null, 2));
const result = body as { ok?: boolean; status?: string };
if (status !== 200 || result.ok === false || (result.status !== undefined && result.status !== 'SUCCEEDED')) process.exit(1);
