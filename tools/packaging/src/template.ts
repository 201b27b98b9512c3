/**
 * The one model of a CloudFormation template the tools and tests share, and the one reader of the template
 * `serverless package` compiles for a service. Packaging and the local stack describe it, the delivery checks check
 * it and @storefront/testing asserts on it, all through these types, so a template means the same thing to each.
 *
 * The types say what CloudFormation accepts (only Resources, and each resource's Type, are required); they do not
 * promise that a file holds it. The delivery checks exist to find where a file departs from them, and read each value
 * as if it could be anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ComposeService, LOCAL_STAGE, packageDir } from './services.ts';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  /** The name of a condition of the template: the resource exists only where it holds. */
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  UpdatePolicy?: Record<string, unknown>;
  CreationPolicy?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface CfnOutput {
  Value: unknown;
  Condition?: string;
  Description?: string;
  Export?: { Name: unknown };
}

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Rules?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Transform?: unknown;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

/** Where `serverless package` leaves a service's compiled template for a stage (the local one unless named). */
export const packagedTemplateFile = (service: Pick<ComposeService, 'dir'>, stage: string = LOCAL_STAGE): string =>
  join(packageDir(service, stage), 'cloudformation-template-update-stack.json');

/**
 * The compiled template `serverless package` left for a stage (the local one unless named), or undefined while the
 * service has not been packaged for it. It never packages: whoever needs one packaged calls packageServices first.
 */
export function packagedTemplate(service: Pick<ComposeService, 'dir'>, stage: string = LOCAL_STAGE): CfnTemplate | undefined {
  const file = packagedTemplateFile(service, stage);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate) : undefined;
}
