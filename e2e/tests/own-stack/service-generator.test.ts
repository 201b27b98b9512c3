import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { workspaceCopy } from '@storefront/testing';
import { eventually, request } from '../../support/http';
import { bootLocalStack, type RunningStack } from '../../support/local-stack';

const service = 'loyalty';
let copy: string;
let stack: RunningStack | undefined;

/** Runs a command in the copy as `npx` would: the project's pinned Node and tools first on the PATH. */
function run(command: string, args: string[]) {
  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    PATH: `${join(copy, 'node_modules/.bin')}${delimiter}${process.env.PATH}`,
  };
  return execFileSync(command, args, { cwd: copy, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

beforeAll(() => {
  copy = workspaceCopy('storefront-generator');
  run('nx', ['g', '@storefront/workspace:service', service, '--no-interactive']);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('nx g @storefront/workspace:service', () => {
  it('creates a service that lints, typechecks, packages and passes its own tests, its dev and prod templates included, with no hand edits', () => {
    // One Nx run for all four targets (its project graph is built once); contracts gained the service's route.
    const targets = ['package', 'lint', 'typecheck', 'test'];
    const args = ['run-many', '-t', ...targets, '-p', service, 'contracts', '--parallel=2', '--outputStyle=static'];
    let failure = '';
    try {
      run('nx', args);
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      failure = `nx ${args.join(' ')}:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n')}`;
    }

    expect(failure).toBe('');
    expect(existsSync(join(copy, `apps/${service}/.serverless/cloudformation-template-update-stack.json`))).toBe(true);
    // Its template test held the prod template to what prod asks (canary, reservations, retained table).
    expect(existsSync(join(copy, `.stages/prod/apps/${service}/.serverless/cloudformation-template-update-stack.json`))).toBe(true);
  }, 600_000);

  it('comes up under npm start: its route answers and its subscription records placed orders', async () => {
    stack = await bootLocalStack({ root: copy, timeoutMs: 240_000 });

    // The generated route is for operators: an admin's token reads it.
    const unknown = await request(stack.baseUrl, 'GET', `/${service}/orders/no-such-order`, { as: 'admin' });
    const placed = await request(stack.baseUrl, 'POST', '/orders', {
      body: { customerId: 'c-generated', currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: 'SKU-G', quantity: 2 }] },
      as: { customer: 'c-generated' },
    });
    const recorded = await eventually(
      async () => {
        const response = await request(stack!.baseUrl, 'GET', `/${service}/orders/${placed.body.orderId}`, { as: 'admin' });
        return response.status === 200 ? response.body : undefined;
      },
      { what: `${service} to record the order` },
    );

    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toBe('application/problem+json');
    expect(placed.status).toBe(201);
    expect(recorded).toMatchObject({ orderId: placed.body.orderId, customerId: 'c-generated', units: 2 });
  }, 300_000);
});
