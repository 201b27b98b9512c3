import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintTemplates } from '../src/cloudformation/cfn-lint.ts';
import { readTemplateFile } from '../src/cloudformation/template-file.ts';
import type { Finding } from '../src/cloudformation/template.ts';
import { aServiceTemplate, fn, type Seeded } from './support/service-template.ts';

const OIDC_TEMPLATE = join(import.meta.dirname, '../../../deploy/github-oidc.yml');

/** Each case seeds one defect into a fresh copy of the template; all are linted in one cfn-lint run. */
const SEEDED: [string, () => Seeded, string, RegExp][] = [
  [
    'an unknown resource type',
    () => seeded((t) => (t.Resources.EventsQueue.Type = 'AWS::SQS::Queu')),
    'Resources.EventsQueue.Type',
    /^E3006 /,
  ],
  [
    'an unknown property',
    () => seeded((t) => (fn(t).Runtim = 'nodejs22.x')),
    'Resources.ConsumeLambdaFunction.Properties.Runtim',
    /^E3002 /,
  ],
  [
    'an unknown nested property',
    () => seeded((t) => (fn(t).Environment = { Variabls: {} })),
    'Resources.ConsumeLambdaFunction.Properties.Environment.Variabls',
    /^E3002 /,
  ],
  [
    'a wrong property type',
    () => seeded((t) => (fn(t).MemorySize = 'lots')),
    'Resources.ConsumeLambdaFunction.Properties.MemorySize',
    /^E3012 /,
  ],
  [
    'a value outside the allowed ones',
    () => seeded((t) => (fn(t).TracingConfig = { Mode: 'Activ' })),
    'Resources.ConsumeLambdaFunction.Properties.TracingConfig.Mode',
    /^E3030 /,
  ],
  ['a missing required property', () => seeded((t) => delete fn(t).Code), 'Resources.ConsumeLambdaFunction.Properties', /^E3003 .*Code/],
  [
    'a Ref to nothing',
    () => seeded((t) => (fn(t).Environment.Variables.SHOP_TABLE = { Ref: 'ShoppingTable' })),
    'Resources.ConsumeLambdaFunction.Properties.Environment.Variables.SHOP_TABLE.Ref',
    /^E1020 .*ShoppingTable/,
  ],
  [
    'a GetAtt of a missing resource',
    () => seeded((t) => (fn(t).Role = { 'Fn::GetAtt': ['ConsumerRole', 'Arn'] })),
    'Resources.ConsumeLambdaFunction.Properties.Role.Fn::GetAtt[0]',
    /^E1010 'ConsumerRole'/,
  ],
  [
    'a GetAtt of an attribute the type does not have',
    () => seeded((t) => (t.Outputs.ShopTableStreamArn.Value = { 'Fn::GetAtt': ['ShopTable', 'StreamARN'] })),
    'Outputs.ShopTableStreamArn.Value.Fn::GetAtt[1]',
    /^E6101 'StreamARN'/,
  ],
  [
    'a Sub variable that names nothing',
    () => seeded((t) => (t.Resources.EventsQueue.Properties.QueueName = { 'Fn::Sub': '${AWS::StackName}-${Stage}-events' })),
    'Resources.EventsQueue.Properties.QueueName.Fn::Sub',
    /^E1019 .*Stage/,
  ],
  [
    'a DependsOn on nothing',
    () => seeded((t) => (t.Resources.ConsumeLambdaFunction.DependsOn = ['ConsumeLogGroup', 'ConsumeLogs'])),
    'Resources.ConsumeLambdaFunction.DependsOn[1]',
    /^E3005 .*ConsumeLogs/,
  ],
  [
    'a condition that is not declared',
    () => seeded((t) => (t.Resources.ShopTable.Condition = 'IsProd')),
    'Resources.ShopTable.Condition',
    /IsProd/,
  ],
  [
    "a typo in the pipeline's own template (YAML with short forms)",
    () => {
      const template = readTemplateFile(OIDC_TEMPLATE) as Seeded;
      template.Resources.DeployRole.Properties.MaxSessionDurationSeconds = 3600;
      return template;
    },
    'Resources.DeployRole.Properties.MaxSessionDurationSeconds',
    /^E3002 /,
  ],
];

function seeded(seed: (template: Seeded) => void): Seeded {
  const template = aServiceTemplate();
  seed(template);
  return template;
}

describe('cfn-lint over our templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
  const fileOf = (name: string) => join(dir, `${name.replace(/\W+/g, '-')}.json`);
  let findings: Map<string, Finding[]>;

  beforeAll(async () => {
    const templates: [string, Seeded][] = [
      ['well-formed', aServiceTemplate()],
      ...SEEDED.map(([name, build]): [string, Seeded] => [name, build()]),
    ];
    for (const [name, template] of templates) writeFileSync(fileOf(name), JSON.stringify(template, null, 2));
    findings = await lintTemplates([...templates.map(([name]) => fileOf(name)), OIDC_TEMPLATE]);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds nothing in a well-formed service template', () => {
    expect(findings.get(fileOf('well-formed'))).toEqual([]);
  });

  it("finds nothing in the pipeline's own template", () => {
    expect(findings.get(OIDC_TEMPLATE)).toEqual([]);
  });

  it.each(SEEDED)('names a seeded defect: %s', (name, _build, at, problem) => {
    expect(findings.get(fileOf(name))).toContainEqual({ at, problem: expect.stringMatching(problem) });
  });

  it('fails with one clear line when a template is not there to read', async () => {
    await expect(lintTemplates([fileOf('well-formed'), join(dir, 'missing.json')])).rejects.toThrow(/^cfn-lint: .*missing\.json/);
  });

  it('names a template that is not valid JSON', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"Resources": ');

    const found = await lintTemplates([broken]);

    expect(found.get(broken)).toContainEqual({ at: expect.stringMatching(/^line \d+$/), problem: expect.stringMatching(/^E0000 /) });
  });
});
