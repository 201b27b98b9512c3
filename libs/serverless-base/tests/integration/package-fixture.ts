import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnTemplate } from '@storefront/testing';

/** `serverless package` of a configuration in ./fixture for a stage, as CloudFormation; the package goes to a temporary folder. */
export function packageFixture({ config, stage, params }: { config: string; stage: string; params: Record<string, string> }): CfnTemplate {
  const output = mkdtempSync(join(tmpdir(), 'serverless-base-fixture-'));
  try {
    const args = ['package', '--config', config, '--stage', stage, '--package', output];
    execFileSync(
      process.execPath,
      [require.resolve('osls/bin/serverless.js'), ...args, ...Object.entries(params).map(([k, v]) => `--param=${k}=${v}`)],
      {
        cwd: join(import.meta.dirname, 'fixture'),
        stdio: 'pipe',
      },
    );
    return JSON.parse(readFileSync(join(output, 'cloudformation-template-update-stack.json'), 'utf8')) as CfnTemplate;
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}
