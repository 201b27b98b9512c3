/**
 * The pipeline reaches AWS through OIDC only: no access key may be written in, or passed to, a workflow or a
 * buildspec, and every AWS credentials step assumes a role with the job's OIDC token.
 */
import { parse } from 'yaml';
import { lineOf, type PipelineFinding } from './findings.ts';

const STORED_KEYS: [RegExp, string][] = [
  [/aws-access-key-id|aws-secret-access-key|aws-session-token/i, 'passes a stored AWS key to configure-aws-credentials'],
  [/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/, 'sets a stored AWS key in the environment'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'holds an AWS access key id'],
];

/** Stored keys anywhere in the file, comments included: a key is a key wherever it is written. */
export function storedKeyFindings(text: string, file: string): PipelineFinding[] {
  return STORED_KEYS.flatMap(([pattern, problem]) => {
    const match = pattern.exec(text);
    return match ? [{ file, line: lineOf(text, match.index), problem: `${problem} (${match[0]}): use OIDC and role-to-assume` }] : [];
  });
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  permissions?: unknown;
  jobs?: Record<string, { permissions?: unknown; steps?: Step[] }>;
}

const grantsIdToken = (permissions: unknown) =>
  permissions === 'write-all' || (typeof permissions === 'object' && (permissions as Record<string, unknown>)?.['id-token'] === 'write');

/** Each job that sets AWS credentials assumes a role, and may ask GitHub for the OIDC token that assuming it takes. */
export function oidcFindings(text: string, file: string): PipelineFinding[] {
  const workflow = (parse(text) ?? {}) as Workflow;
  const findings: PipelineFinding[] = [];
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    const credentialSteps = (job.steps ?? []).filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials'));
    if (credentialSteps.length === 0) continue;
    if (credentialSteps.some((step) => !step.with?.['role-to-assume']))
      findings.push({ file, problem: `job ${name}: configure-aws-credentials without role-to-assume` });
    if (!grantsIdToken(job.permissions ?? workflow.permissions))
      findings.push({ file, problem: `job ${name}: sets AWS credentials but its permissions do not grant id-token: write` });
  }
  return findings;
}
