/** The house rules a template passes before it may be deployed, beyond cfn-lint's (see cfn-lint.ts): ours alone. */
import type { CfnTemplate } from '#packaging';
import { houseRuleFindings, type StageRules } from './house-rules.ts';
import { inlineSecretFindings } from './inline-secrets.ts';
import type { Finding } from './template.ts';

export function checkTemplate(template: CfnTemplate, stage: StageRules): Finding[] {
  return [...houseRuleFindings(template, stage), ...(stage.secretsKeptOut ? inlineSecretFindings(template) : [])];
}
