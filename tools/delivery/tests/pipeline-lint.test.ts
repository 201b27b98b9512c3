import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPipeline, lintPipelineFile, pipelineFiles } from '../src/pipeline/lint-pipeline.ts';

const workspaceRoot = join(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(join(workspaceRoot, file), 'utf8');
const deployWorkflow = () => read('.github/workflows/deploy.yml');

describe("the repository's pipeline files", () => {
  it('include the deploy workflow and the buildspec, and pass the linter', async () => {
    const { files, findings } = await lintPipeline(workspaceRoot);

    expect(files).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/deploy.yml', 'buildspec.yml']));
    expect(findings).toEqual([]);
  });

  it.each(pipelineFiles(workspaceRoot))('%s holds no stored AWS key and passes none to an action', (file) => {
    const text = read(file);

    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|aws-session-token/i);
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
    expect(text).not.toMatch(/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/);
  });

  it('deploy to dev after CI on main, and to prod only through its environment, assuming roles by OIDC', () => {
    const text = deployWorkflow();

    expect(text).toMatch(/workflow_run:\s+workflows: \[ci\]\s+types: \[completed\]\s+branches: \[main\]/);
    expect(text).toMatch(/environment: prod/);
    expect(text.match(/role-to-assume: \$\{\{ vars\.AWS_DEPLOY_ROLE_ARN \}\}/g)).toHaveLength(2);
    expect(text).toContain('npm run deploy:affected -- --stage prod');
    expect(read('buildspec.yml')).toContain('npm run deploy:affected -- --stage "$STAGE"');
  });
});

describe('the pipeline linter names each seeded defect', () => {
  const findingsIn = async (file: string, text: string) => (await lintPipelineFile(file, text)).map((f) => f.problem);

  it('a mistyped input of a known action (actionlint)', async () => {
    const text = deployWorkflow().replace('role-to-assume:', 'role-to-asume:');

    expect(await findingsIn('.github/workflows/deploy.yml', text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/input "role-to-asume" is not defined in action "aws-actions\/configure-aws-credentials@v4"/),
      ]),
    );
  });

  it('a job needing a job that does not exist (actionlint)', async () => {
    const text = deployWorkflow().replace('needs: [plan, dev]', 'needs: [plan, development]');

    expect(await findingsIn('.github/workflows/deploy.yml', text)).toEqual(
      expect.arrayContaining([expect.stringMatching(/needs job "development" which does not exist/)]),
    );
  });

  it('a stored key passed to configure-aws-credentials', async () => {
    const text = deployWorkflow().replace(
      'role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}',
      'aws-access-key-id: ${{ secrets.KEY_ID }}\n          aws-secret-access-key: ${{ secrets.SECRET }}',
    );

    expect(await findingsIn('.github/workflows/deploy.yml', text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/passes a stored AWS key to configure-aws-credentials \(aws-access-key-id\)/),
        expect.stringMatching(/job dev: configure-aws-credentials without role-to-assume/),
      ]),
    );
  });

  it('a key in the environment of a buildspec', async () => {
    const text = read('buildspec.yml').replace('STAGE: dev', "STAGE: dev\n    AWS_SECRET_ACCESS_KEY: 'x'");

    expect(await findingsIn('buildspec.yml', text)).toEqual([expect.stringMatching(/sets a stored AWS key in the environment/)]);
  });

  it('a job that assumes a role without the permission to ask for an OIDC token', async () => {
    const text = deployWorkflow().replace(/ {6}id-token: write\n/, '');

    expect(await findingsIn('.github/workflows/deploy.yml', text)).toEqual([
      'job dev: sets AWS credentials but its permissions do not grant id-token: write',
    ]);
  });

  it('a buildspec of another version, with an unknown phase, that deploys some other way', async () => {
    const text = read('buildspec.yml')
      .replace('version: 0.2', 'version: 0.1')
      .replace('  build:', '  deploy:')
      .replace('npm run deploy:affected --', 'npm run deploy --');

    expect(await findingsIn('buildspec.yml', text)).toEqual([
      'version must be 0.2, got 0.1',
      'phases.deploy is not a buildspec key (known: install, pre_build, build, post_build)',
      'runs no `npm run deploy:affected`: the pipeline must deploy with the same script as the GitHub workflow',
    ]);
  });
});
