import { readFileSync } from 'node:fs';
import type { CfnTemplate } from '#packaging';
import { parse, type Tags } from 'yaml';

/** CloudFormation's short forms (`!Ref X`, `!GetAtt X.Arn`, `!Sub …`), read as the long forms a packaged template has. */
const LONG_FORMS = ['Ref', 'Condition', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::If', 'Fn::Equals']
  .concat(['Fn::Not', 'Fn::And', 'Fn::Or', 'Fn::FindInMap', 'Fn::GetAZs', 'Fn::Base64', 'Fn::Cidr', 'Fn::ImportValue'])
  .concat(['Fn::Transform', 'Fn::ToJsonString', 'Fn::Length']);
const SHORT_FORMS = LONG_FORMS.map((key) => ({ key, tag: `!${key.replace('Fn::', '')}` }));

const cloudFormationTags: Tags = SHORT_FORMS.flatMap(({ key, tag }) => [
  { tag, resolve: (value: string) => ({ [key]: key === 'Fn::GetAtt' ? value.split(/\.(.*)/s).slice(0, 2) : value }) },
  { tag, collection: 'seq' as const, resolve: (value: unknown) => ({ [key]: (value as { toJSON(): unknown }).toJSON() }) },
  { tag, collection: 'map' as const, resolve: (value: unknown) => ({ [key]: (value as { toJSON(): unknown }).toJSON() }) },
]);

/** A template file as CloudFormation reads it: JSON, or YAML with the short-form intrinsics. */
export function readTemplateFile(file: string): CfnTemplate {
  const text = readFileSync(file, 'utf8');
  return (file.endsWith('.json') ? JSON.parse(text) : parse(text, { customTags: cloudFormationTags })) as CfnTemplate;
}
