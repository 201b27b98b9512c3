import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { workspaceCopy } from '@storefront/testing';
import { composeServices } from '#packaging';

// Each plan builds Nx's project graph of a whole copy of the workspace: seconds each, far more on a busy machine.
jest.setTimeout(180_000);

let repo: string;

function run(command: string, args: string[]): string {
  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    PATH: `${join(repo, 'node_modules/.bin')}${delimiter}${process.env.PATH}`,
  };
  return execFileSync(command, args, { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const git = (...args: string[]) => run('git', args);

/** Commits a change to the given files on top of the fixture's history. */
function commitChangeTo(...files: string[]) {
  for (const file of files)
    appendFileSync(join(repo, file), file.endsWith('.yml') || file.endsWith('.md') ? '\n# touched\n' : '\n// touched\n');
  git('add', '-A');
  git('commit', '-q', '-m', `change ${files.join(', ')}`);
}

interface Plan {
  services: { service: string; why: string }[];
  commands: { command: string; args: string[] }[];
}

/** What `npm run deploy:affected -- --dry-run --json` plans for the last commit. */
const planForLastCommit = (): Plan =>
  JSON.parse(
    run(process.execPath, ['tools/delivery/src/deploy.ts', '--stage', 'dev', '--base', 'HEAD~1', '--head', 'HEAD', '--dry-run', '--json']),
  );

const affectedServices = (): string[] =>
  JSON.parse(run('nx', ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--type', 'app', '--json']));

const services = composeServices();
const inComposeOrder = (names: string[]) => services.map((s) => s.name).filter((name) => names.includes(name));

beforeAll(() => {
  repo = workspaceCopy('storefront-deploy-plan');
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'fixture@example.com');
  git('config', 'user.name', 'fixture');
  git('config', 'commit.gpgsign', 'false');
  git('add', '-A');
  git('commit', '-q', '-m', 'the workspace as it is');
}, 120_000);

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('npm run deploy:affected on a git history', () => {
  it('plans nothing for a README change, and Nx finds nothing affected either', () => {
    commitChangeTo('README.md');

    const plan = planForLastCommit();

    expect(plan.services).toEqual([]);
    expect(plan.commands).toEqual([]);
    expect(affectedServices()).toEqual([]);
  });

  it('plans the services whose code uses the contracts for a contracts-only change, in compose order, saying why', () => {
    commitChangeTo('libs/contracts/src/index.ts');
    const withCode = services.filter((s) => existsSync(join(s.dir, 'src'))).map((s) => s.name);

    const plan = planForLastCommit();

    expect(plan.services.map((p) => p.service)).toEqual(inComposeOrder(withCode));
    expect(plan.services.map((p) => p.service)).not.toContain('platform');
    for (const { why } of plan.services) expect(why).toMatch(/uses .*contracts changed: libs\/contracts\/src\/index\.ts/);
    // Nx also lists platform, through serverless-base's tests (which import the testing lib): tests ship nothing.
    expect(affectedServices()).toEqual(expect.arrayContaining(withCode));
  });

  it('plans every service for a platform change: the others take its outputs through compose params', () => {
    commitChangeTo('apps/platform/serverless.yml');

    const plan = planForLastCommit();

    expect(plan.services.map((p) => p.service)).toEqual(services.map((s) => s.name));
    expect(plan.services[0]).toEqual({ service: 'platform', why: 'changed: apps/platform/serverless.yml' });
    for (const { service, why } of plan.services.slice(1)) {
      const taken = services
        .find((s) => s.name === service)
        ?.params.filter((p) => p.from === 'platform')
        .map((p) => p.param);
      expect(why).toBe(`takes platform's outputs (${taken?.join(', ')}); platform changed: apps/platform/serverless.yml`);
    }
    expect(affectedServices().sort()).toEqual(services.map((s) => s.name).sort());
  });

  it('would refresh the outputs once, then deploy each service alone through compose, in that order', () => {
    const plan = planForLastCommit();

    expect(plan.commands).toEqual([
      { command: 'osls-compose', args: ['refresh-outputs', '--stage=dev'] },
      ...services.map((s) => ({ command: 'osls-compose', args: ['deploy', `--service=${s.name}`, '--stage=dev'] })),
    ]);
  });

  it('deploys one service alone through its Nx deploy target', () => {
    const output = run('nx', ['run', 'notifications:deploy', '--stage', 'prod', '--dry-run', '--outputStyle=static']);

    expect(output).toContain('1. notifications  asked for');
    expect(output).toContain('osls-compose refresh-outputs --stage=prod\n  osls-compose deploy --service=notifications --stage=prod');
    expect(output).not.toContain('--service=platform');
  });
});
