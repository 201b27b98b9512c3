import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** The CloudFormation template `serverless package` compiles for this service (packaged on demand). */
export function packagedTemplate(serviceDir: string, composeName: string): { Resources: Record<string, CfnResource> } {
  const file = join(serviceDir, '.serverless/cloudformation-template-update-stack.json');
  if (!existsSync(file)) execFileSync('node', ['tools/package.mjs', composeName], { cwd: join(serviceDir, '../..'), stdio: 'ignore' });
  return JSON.parse(readFileSync(file, 'utf8'));
}
