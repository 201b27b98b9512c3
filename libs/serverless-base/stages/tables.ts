import type { StageSettings } from './settings.ts';

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string | string[];
  UpdatePolicy?: Record<string, unknown>;
  [attribute: string]: unknown;
}

/**
 * Every DynamoDB table of the template, as the stage asks: kept when its stack is deleted or the table replaced
 * (DeletionPolicy/UpdateReplacePolicy Retain), and restorable to any second of the last 35 days (point-in-time
 * recovery). A stage that asks for neither leaves a table as its service declared it. Changes `resources` in place.
 */
export function protectTables(resources: Record<string, TemplateResource>, tables: StageSettings['tables']): void {
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::DynamoDB::Table') continue;
    if (tables.retain) {
      resource.DeletionPolicy = 'Retain';
      resource.UpdateReplacePolicy = 'Retain';
    }
    if (tables.pointInTimeRecovery)
      resource.Properties = { ...resource.Properties, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } };
  }
}
