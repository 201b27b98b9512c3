/** Every check a template passes before it may be deployed: the resource model's, then our house rules. */
import type { CfnTemplate } from '#packaging';
import { propertyFindings } from './check-properties.ts';
import { referenceFindings } from './check-references.ts';
import { houseRuleFindings, type StageRules } from './house-rules.ts';
import { inlineSecretFindings } from './inline-secrets.ts';
import { resourceModel } from './resource-model.ts';
import type { Finding } from './template.ts';

export function checkTemplate(template: CfnTemplate, stage: StageRules): Finding[] {
  const model = resourceModel();
  return [
    ...propertyFindings(template, model),
    ...referenceFindings(template, model),
    ...houseRuleFindings(template, stage),
    ...inlineSecretFindings(template),
  ];
}
