import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const workspaceRoot = join(import.meta.dirname, '../..');
// Each case starts the framework, a couple of seconds of CPU; on a busy machine that takes far longer.
jest.setTimeout(120_000);
const A_STAGE_KEY = 'stage-key-0123456789abcdefghijklmnopqrstuvwxyz';

/** `serverless print` of the notifications service: its configuration with every variable resolved, as packaging sees it. */
async function printNotifications(stage: string, pageCursorKey?: string) {
  const params = ['httpApiId=api', 'httpApiAuthorizerId=authorizer', 'alertsTopicArn=arn:alerts', 'ordersTopicArn=arn:orders'];
  if (pageCursorKey !== undefined) params.push(`pageCursorKey=${pageCursorKey}`);
  const serverless = join(workspaceRoot, 'node_modules/osls/bin/serverless.js');
  const args = [serverless, 'print', '--stage', stage, ...params.map((p) => `--param=${p}`)];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: join(workspaceRoot, 'apps/notifications') });
    return { ok: true, output: stdout };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

type Printed = Awaited<ReturnType<typeof printNotifications>>;
let printed: Record<'local' | 'given' | 'missing' | 'short', Promise<Printed>>;

// Each print starts the framework, a couple of seconds of CPU: all four start together rather than one after another.
beforeAll(() => {
  printed = {
    local: printNotifications('local'),
    given: printNotifications('prod', A_STAGE_KEY),
    missing: printNotifications('prod'),
    short: printNotifications('staging', 'too-short'),
  };
});

describe('the page cursor signing key in the shared Serverless config', () => {
  it('gives the local stage a fixed, clearly named development key', async () => {
    const local = await printed.local;

    expect(local.ok).toBe(true);
    expect(local.output).toMatch(/PAGE_CURSOR_KEY: storefront-local-development-page-cursor-key-not-a-secret\n/);
  });

  it("takes any other stage's key from its pageCursorKey param", async () => {
    const given = await printed.given;

    expect(given.ok).toBe(true);
    expect(given.output).toContain(`PAGE_CURSOR_KEY: ${A_STAGE_KEY}\n`);
  });

  it('has no fallback: a stage without a key, or with a short one, stops and says what to do', async () => {
    const [missing, short] = await Promise.all([printed.missing, printed.short]);

    expect(missing.ok).toBe(false);
    expect(missing.output).toMatch(
      /Stage "prod" has no page cursor signing key: set PAGE_CURSOR_KEY .* or pass --param=pageCursorKey=<key>/,
    );
    expect(short.ok).toBe(false);
    expect(short.output).toContain('The page cursor signing key of stage "staging" is too short');
  });
});
