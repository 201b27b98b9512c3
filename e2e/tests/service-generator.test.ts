import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { eventually, request } from '../support/http';
import { bootLocalStack, type RunningStack } from '../support/local-stack';

const workspaceRoot = join(import.meta.dirname, '../..');
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

/** A clean checkout of the working tree (tracked and new files, nothing ignored), sharing node_modules. */
function checkoutCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'storefront-generator-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(join(workspaceRoot, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(workspaceRoot, file), join(dir, file));
  }
  symlinkSync(join(workspaceRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

beforeAll(() => {
  copy = checkoutCopy();
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
    const unknown = await request(stack.url, 'GET', `/${service}/orders/no-such-order`, { as: 'admin' });
    const placed = await request(stack.url, 'POST', '/orders', {
      body: { customerId: 'c-generated', currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: 'SKU-G', quantity: 2 }] },
      as: { customer: 'c-generated' },
    });
    const recorded = await eventually(
      async () => {
        const response = await request(stack!.url, 'GET', `/${service}/orders/${placed.body.orderId}`, { as: 'admin' });
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
