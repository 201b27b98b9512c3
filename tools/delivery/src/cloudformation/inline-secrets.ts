/**
 * No secret is written into a template: a template is stored in the deployment bucket and shown by the console
 * to anyone who may read the stack. A secret belongs in Secrets Manager, reached at deploy time through a dynamic
 * reference (`{{resolve:secretsmanager:…}}`) or at run time by the function itself.
 *
 * Two signs give a secret away: a value shaped like a known credential, wherever it is; and a literal value under
 * a name that says secret (a `Password` property, an environment variable named `…_KEY` or `…_TOKEN`). Names that
 * only say where a secret lives (`…_ARN`, `…_ID`, `…_NAME`) are not secrets.
 */
import type { CfnTemplate } from '#packaging';
import { type Finding, walk } from './template.ts';

const CREDENTIAL_SHAPES: [RegExp, string][] = [
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}/, 'a Stripe secret key'],
  [/\bgh[pousr]_[0-9A-Za-z]{30,}/, 'a GitHub token'],
  [/\bxox[abprs]-[0-9A-Za-z-]{10,}/, 'a Slack token'],
];
const SECRET_NAME = /(?:secret|passw(?:or)?d|token|api_?key|private_?key|credential|(?:^|_)key$)/i;
const LOCATION_NAME = /(?:arn|_id|id$|_name|name$|_url|_path|_region|_ttl|_seconds|_version)$/i;
/** Property names of the resource model that hold a secret's value. */
const SECRET_PROPERTIES = new Set(['SecretString', 'Password', 'MasterUserPassword', 'AuthToken', 'ClientSecret', 'SecretAccessKey']);
const MIN_SECRET_LENGTH = 8;

export function inlineSecretFindings(template: CfnTemplate): Finding[] {
  const findings: Finding[] = [];
  const sections = { Parameters: template.Parameters, Resources: template.Resources, Outputs: template.Outputs };
  for (const [section, tree] of Object.entries(sections))
    for (const [value, at] of walk(tree, section)) {
      if (typeof value !== 'string') continue;
      const shape = CREDENTIAL_SHAPES.find(([pattern]) => pattern.test(value));
      if (shape) {
        findings.push({ at, problem: `holds ${shape[1]}: keep it in Secrets Manager, never in a template` });
        continue;
      }
      if (isSecretByName(at) && isLiteralSecret(value))
        findings.push({
          at,
          problem: 'holds a secret as plain text: reference it from Secrets Manager ({{resolve:secretsmanager:…}}) instead',
        });
    }
  return findings;
}

function isSecretByName(at: string): boolean {
  const name = at.slice(at.lastIndexOf('.') + 1);
  if (at.includes('.Environment.Variables.')) return SECRET_NAME.test(name) && !LOCATION_NAME.test(name);
  return SECRET_PROPERTIES.has(name);
}

/** A dynamic reference or a value too short to be a key is not an inline secret. */
const isLiteralSecret = (value: string) => value.length >= MIN_SECRET_LENGTH && !/\{\{resolve:(?:secretsmanager|ssm-secure):/.test(value);
