#!/usr/bin/env node
/**
 * `npm run demo`: against the running system (`npm start`), stocks a demo product, places an order
 * and prints its event trail across services as it happens, until the order
 * reaches a terminal state or everything it set off has settled.
 *   --url <base>       the gateway (default http://localhost:4000, or STOREFRONT_URL)
 *   --timeout <s>      give up after this long (default 20)
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { apiClient, type Identity, NoTokenError } from '../client/api-client.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.STOREFRONT_URL ?? 'http://localhost:4000' },
    timeout: { type: 'string', default: '20' },
  },
});
const base = values.url.replace(/\/$/, '');
// Where an order's story ends: paid, payment failed, rejected or cancelled.
const TERMINAL = new Set(['CONFIRMED', 'PAYMENT_FAILED', 'REJECTED', 'CANCELLED']);
const SETTLED_AFTER_MS = 2000;

interface TrailEntry {
  kind: string;
  at: string;
  [field: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers are read as the API documents them
type Json = any;

const api = apiClient(base);

/** Calls the API as `as` (with its bearer token), or anonymously. */
async function call(
  method: string,
  path: string,
  { body, headers, as }: { body?: unknown; headers?: Record<string, string>; as?: Identity } = {},
): Promise<{ status: number; body: Json }> {
  let response: Response;
  try {
    response = await api(path, { method, headers, as, ...(body ? { body: JSON.stringify(body) } : {}) });
  } catch (error) {
    console.error(
      error instanceof NoTokenError
        ? error.message
        : `Nothing answers at ${base}. Start the system first with \`npm start\` (or pass --url).`,
    );
    process.exit(1);
  }
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function describe(entry: TrailEntry): string {
  switch (entry.kind) {
    case 'published':
      return `${entry.eventType} published to ${entry.topic}${entry.by ? ` by ${entry.by}` : ''}`;
    case 'delivered':
      return `${entry.eventType ?? 'message'} delivered to ${entry.queue} (${entry.service ?? '?'})`;
    case 'consumed':
      return `${entry.eventType ?? 'message'} consumed from ${entry.queue} (${entry.service ?? '?'})`;
    case 'dead-lettered':
      return `${entry.eventType ?? 'message'} moved to the dead-letter queue of ${entry.queue}`;
    case 'invoked':
      return `${entry.function} handled ${entry.records} record(s) (${entry.service})`;
    case 'invocation-failed':
      return `${entry.function} FAILED on ${entry.records} record(s) (${entry.service})`;
    case 'execution-started':
      return `${entry.stateMachine} execution ${entry.execution} started (${entry.service})`;
    case 'state-entered':
      return `  ${entry.stateMachine}: ${entry.state} (${entry.stateType})`;
    case 'state-failed':
      return `  ${entry.stateMachine}: ${entry.state} failed with ${entry.error}`;
    case 'state-retried':
      return `  ${entry.stateMachine}: ${entry.state} retried (attempt ${entry.attempt})`;
    case 'state-caught':
      return `  ${entry.stateMachine}: ${entry.state}'s error caught, on to ${entry.next}`;
    case 'task-waited':
      return `  ${entry.function} waited ${Number(entry.waitedMs) / 1000} s for a local slot before it started`;
    case 'execution-succeeded':
    case 'execution-failed':
    case 'execution-timed-out':
    case 'execution-aborted':
      return `${entry.stateMachine} execution ${entry.execution} ${entry.kind.slice('execution-'.length)}${entry.error ? ` (${entry.error})` : ''}`;
    default:
      return `${entry.kind} ${JSON.stringify(entry)}`;
  }
}

const correlationId = `demo-${randomUUID()}`;
const started = Date.now();
const elapsed = (at = Date.now()) => `${String(at - started).padStart(6)} ms`;
const customer: Identity = { customer: 'demo-customer' };
const order = { customerId: customer.customer, currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: 'DEMO-LAMP', quantity: 1 }] };

// A product with stock, so the order can be reserved (PUT is idempotent: running the demo again restocks it); admins run the catalogue.
const stocked = await call('PUT', '/products/DEMO-LAMP', {
  body: { name: 'Demo lamp', price: 1999, currency: 'EUR', stock: 100 },
  as: 'admin',
});
if (stocked.status !== 200) {
  console.error(`PUT /products/DEMO-LAMP answered ${stocked.status}: ${JSON.stringify(stocked.body)}`);
  process.exit(1);
}

const placed = await call('POST', '/orders', {
  body: order,
  headers: { 'x-correlation-id': correlationId, 'idempotency-key': correlationId },
  as: customer,
});
if (placed.status !== 201) {
  console.error(`POST /orders answered ${placed.status}: ${JSON.stringify(placed.body)}`);
  process.exit(1);
}
const { orderId } = placed.body as { orderId: string };
console.log(`${elapsed()}  order ${orderId} placed (HTTP 201, correlation id ${correlationId})`);

let seen = 0;
let lastChange = Date.now();
let status: string = placed.body.status;
const deadline = started + Number(values.timeout) * 1000;
while (Date.now() < deadline) {
  const { body: trail = [] }: { body: TrailEntry[] | undefined } = await call(
    'GET',
    `/_local/trail?correlationId=${encodeURIComponent(correlationId)}`,
  );
  for (const entry of trail.slice(seen)) console.log(`${elapsed(Date.parse(entry.at))}  ${describe(entry)}`);
  if (trail.length > seen) lastChange = Date.now();
  seen = trail.length;
  const current = (await call('GET', `/orders/${orderId}`, { as: customer })).body?.status;
  if (current !== status) {
    console.log(`${elapsed()}  order is now ${current}`);
    status = current;
    lastChange = Date.now();
  }
  if (TERMINAL.has(status)) break;
  const count = (...kinds: string[]) => trail.filter((e) => kinds.includes(e.kind)).length;
  // Messages on their way, and workflow executions still running.
  const open =
    count('delivered') -
    count('consumed', 'dead-lettered') +
    count('execution-started') -
    count('execution-succeeded', 'execution-failed', 'execution-timed-out', 'execution-aborted');
  if (seen > 0 && open <= 0 && Date.now() - lastChange > SETTLED_AFTER_MS) break;
  await new Promise((resolve) => setTimeout(resolve, 150));
}

const reason = TERMINAL.has(status)
  ? 'reached a terminal state'
  : Date.now() >= deadline
    ? 'timed out'
    : 'every event it set off has been handled';
console.log(`${elapsed()}  done: order ${orderId} is ${status} (${reason})`);
