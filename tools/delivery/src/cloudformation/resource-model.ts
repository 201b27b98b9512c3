/**
 * The CloudFormation resource model, read offline from @aws-cdk/aws-service-spec (the same model the AWS CDK is
 * generated from; pinned in package.json, so a new resource type or property arrives with a deliberate upgrade).
 * Only the lookups the template check needs: a resource type's properties and attributes, and the nested types.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType } from '@aws-cdk/service-spec-types';

export type { Property, PropertyType };

export interface ObjectShape {
  /** How a finding names it: `AWS::Lambda::Function` or `AWS::Lambda::Function.Environment`. */
  name: string;
  properties: Record<string, Property>;
}

export interface ResourceShape extends ObjectShape {
  attributes: Set<string>;
}

export interface ResourceModel {
  resource(type: string): ResourceShape | undefined;
  /** The nested object type a `ref` property type points at. */
  definition(resourceType: string, id: string): ObjectShape;
}

type SpecDatabase = ReturnType<typeof loadAwsServiceSpecSync>;

let loaded: SpecDatabase | undefined;

/** Reading the model takes about a second: once per process. */
export function resourceModel(): ResourceModel {
  const db = (loaded ??= loadAwsServiceSpecSync());
  return {
    resource(type) {
      const [found] = db.lookup('resource', 'cloudFormationType', 'equals', type);
      if (!found) return undefined;
      return { name: type, properties: found.properties, attributes: new Set(Object.keys(found.attributes)) };
    },
    definition(resourceType, id) {
      const found = db.get('typeDefinition', id);
      return { name: `${resourceType}.${found.name}`, properties: found.properties };
    },
  };
}
