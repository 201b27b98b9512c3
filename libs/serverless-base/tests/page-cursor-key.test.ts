import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const workspaceRoot = join(import.meta.dirname, '../../..');
// Each case starts the framework, a couple of seconds of CPU; on a busy machine that takes far longer.
jest.setTimeout(120_000);

/** `serverless print` of the notifications service: its configuration with every variable resolved, as packaging sees it. */
async function printNotifications(stage: string) {
  const params = ['httpApiId=api', 'httpApiAuthorizerId=authorizer', 'alertsTopicArn=arn:alerts', 'ordersTopicArn=arn:orders'];
  const serverless = join(workspaceRoot, 'node_modules/osls/bin/serverless.js');
  const args = [serverless, 'print', '--stage', stage, ...params.map((p) => `--param=${p}`)];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd: join(workspaceRoot, 'apps/notifications'),
    // Whatever the machine has set, packaging a stage needs no key from the environment.
    env: { ...process.env, PAGE_CURSOR_KEY: '' },
  });
  return stdout;
}

let printed: Record<'local' | 'prod', Promise<string>>;

// Each print starts the framework, a couple of seconds of CPU: both start together rather than one after another.
beforeAll(() => {
  printed = { local: printNotifications('local'), prod: printNotifications('prod') };
});

describe('the page cursor signing key in the shared Serverless config', () => {
  it('gives the local stage a fixed, clearly named development key', async () => {
    expect(await printed.local).toMatch(/PAGE_CURSOR_KEY: storefront-local-development-page-cursor-key-not-a-secret\n/);
  });

  it("has any other stage read its own key from that stage's secret when CloudFormation deploys it, so no template holds it", async () => {
    const prod = await printed.prod;

    expect(prod).toContain("PAGE_CURSOR_KEY: '{{resolve:secretsmanager:storefront/prod/page-cursor-key:SecretString}}'\n");
    expect(prod).not.toContain('storefront-local-development-page-cursor-key-not-a-secret');
  });
});
