import type { Command } from '../src/deploy/compose-commands.ts';
import { deployPlan, describePlan } from '../src/deploy/deploy-plan.ts';
import { deployedFiles } from '../src/deploy/deployed-files.ts';
import { planDeploy, type WorkspaceGraph } from '../src/deploy/plan.ts';

/** nx.json's definitions, as the workspace has them. */
const deployed = deployedFiles({
  namedInputs: {
    default: ['{projectRoot}/**/*', 'sharedGlobals'],
    sharedGlobals: ['{workspaceRoot}/tsconfig.base.json', '{workspaceRoot}/package-lock.json'],
    production: ['default', '!{projectRoot}/tests/**/*', '!{projectRoot}/jest.config.ts', '!{projectRoot}/.serverless/**/*'],
  },
  targetDefaults: {
    package: { inputs: ['production', '^production', '{workspaceRoot}/serverless-compose.yml', '{workspaceRoot}/apps/*/serverless.yml'] },
  },
});

const api = { param: 'apiId', from: 'platform', output: 'HttpApiId' } as const;
const services = [
  { name: 'platform', dir: '/w/apps/platform', params: [], dependsOn: [] },
  { name: 'shop', dir: '/w/apps/shop', params: [api], dependsOn: ['platform'] },
  { name: 'mailer', dir: '/w/apps/mailer', params: [api], dependsOn: ['platform'] },
];

const graph: WorkspaceGraph = {
  roots: {
    platform: 'apps/platform',
    shop: 'apps/shop',
    mailer: 'apps/mailer',
    base: 'libs/base',
    runtime: 'libs/runtime',
    testing: 'libs/testing',
  },
  dependencies: {
    platform: [{ target: 'base', files: [] }],
    shop: [
      { target: 'platform', files: [] },
      { target: 'base', files: [] },
      { target: 'runtime', files: ['apps/shop/src/handlers/sell.ts'] },
      { target: 'testing', files: ['apps/shop/tests/sell.test.ts'] },
    ],
    mailer: [
      { target: 'platform', files: [] },
      { target: 'base', files: [] },
      { target: 'testing', files: ['apps/mailer/tests/mail.test.ts'] },
    ],
    // The shared config's own tests use the testing lib; its shipped files use nothing.
    base: [{ target: 'testing', files: ['libs/base/tests/config.test.ts'] }],
    testing: [{ target: 'runtime', files: ['libs/testing/src/index.ts'] }],
  },
};

const plan = (...changedFiles: string[]) => planDeploy({ services, projectOf: (name) => name, graph, changedFiles, deployed });

describe('planning a deploy from changed files', () => {
  it('plans the service whose shipped code changed, and says which file', () => {
    expect(plan('apps/shop/src/handlers/sell.ts', 'apps/shop/src/domain/sale.ts')).toEqual([
      { service: 'shop', why: 'changed: apps/shop/src/handlers/sell.ts and 1 more' },
    ]);
  });

  it("plans nothing for a change to a service's tests or to files outside every package", () => {
    expect(plan('apps/shop/tests/sell.test.ts', 'README.md', 'docs/architecture.md', 'tools/local-cloud/src/cli/start.ts')).toEqual([]);
  });

  it('follows shipped code to a lib, and not the edges only tests make', () => {
    // runtime is imported by shop's handler; testing (which imports runtime) only by tests.
    expect(plan('libs/runtime/src/index.ts')).toEqual([
      { service: 'shop', why: 'uses runtime; runtime changed: libs/runtime/src/index.ts' },
    ]);
    expect(plan('libs/testing/src/index.ts')).toEqual([]);
  });

  it("plans a service's dependents after it, naming the compose params they take", () => {
    expect(plan('apps/platform/serverless.yml')).toEqual([
      { service: 'platform', why: 'changed: apps/platform/serverless.yml' },
      { service: 'shop', why: "takes platform's outputs (apiId); platform changed: apps/platform/serverless.yml" },
      { service: 'mailer', why: "takes platform's outputs (apiId); platform changed: apps/platform/serverless.yml" },
    ]);
  });

  it('plans every service for a workspace file every package reads', () => {
    expect(plan('package-lock.json').map((p) => p.why)).toEqual(
      Array(3).fill("package-lock.json changed, which every service's package reads"),
    );
  });
});

describe('deploying a plan', () => {
  const twoServices = [
    { service: 'platform', why: 'changed: apps/platform/serverless.yml' },
    { service: 'shop', why: "takes platform's outputs (apiId)" },
  ];

  it('refreshes the outputs, then deploys each service alone through compose, one after another', async () => {
    const ran: Command[] = [];

    await deployPlan(twoServices, 'dev', async (command) => void ran.push(command));

    expect(ran).toEqual([
      { command: 'osls-compose', args: ['refresh-outputs', '--stage=dev'] },
      { command: 'osls-compose', args: ['deploy', '--service=platform', '--stage=dev'] },
      { command: 'osls-compose', args: ['deploy', '--service=shop', '--stage=dev'] },
    ]);
  });

  it('stops at the first failure and names what was deployed before it', async () => {
    const ran: string[] = [];
    const failOnShop = async ({ args }: Command) => {
      ran.push(args.join(' '));
      if (args.includes('--service=shop')) throw new Error('stack rolled back');
    };

    const deploying = deployPlan([...twoServices, { service: 'mailer', why: 'asked for' }], 'prod', failOnShop);

    await expect(deploying).rejects.toThrow(
      'osls-compose deploy --service=shop --stage=prod failed (deployed before it: platform): stack rolled back',
    );
    expect(ran).not.toContain('deploy --service=mailer --stage=prod');
  });

  it('prints the plan with the reason for each service and the exact commands', () => {
    expect(describePlan(twoServices, { stage: 'dev', from: 'changes since main' })).toBe(
      [
        'Deploy plan for dev (changes since main), in compose order:',
        '  1. platform  changed: apps/platform/serverless.yml',
        "  2. shop      takes platform's outputs (apiId)",
        'Commands:',
        '  osls-compose refresh-outputs --stage=dev',
        '  osls-compose deploy --service=platform --stage=dev',
        '  osls-compose deploy --service=shop --stage=dev',
      ].join('\n'),
    );
    expect(describePlan([], { stage: 'dev', from: 'changes since main' })).toBe(
      'Nothing to deploy to dev: changes since main reach no service.',
    );
  });
});
