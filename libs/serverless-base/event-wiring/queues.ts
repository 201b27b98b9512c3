/** What every queue the builders create has in common, and the shapes the builders share. */

export const QUEUE = 'AWS::SQS::Queue';

// The longest SQS allows: whatever failed stays available for inspection and redrive for two weeks.
const FOURTEEN_DAYS = 1_209_600;

/** A CloudFormation resource as the builders write it. */
export interface Resource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties: Record<string, unknown>;
}

/** An ARN as a literal or as an intrinsic function (`${param:…}` resolves to a string, `!GetAtt` to an object). */
export type Arn = string | Record<string, unknown>;

/** What a builder makes of one declaration: resources for the service, the function's event and its IAM statements. */
export interface Built {
  resources: Record<string, Resource>;
  event: Record<string, unknown>;
  iamRoleStatements: Record<string, unknown>[];
}

/**
 * Where a declaration sits: `namePrefix` is `<service>-<stage>`, `functionTimeout` the consuming function's, in
 * seconds, and `consumes` the event types its handler declares (consumes.ts), for a function a subscription feeds.
 */
export interface BuildContext {
  namePrefix: string;
  functionTimeout: number;
  consumes?: readonly string[];
}

export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/**
 * A queue that holds what failed for good; the alarms plugin watches every one of them (its depth), so slic-watch is
 * told to add no alarm of its own (the plugin marks hand-declared failure queues the same way).
 */
export function failureQueue(queueName: string): Resource {
  return {
    Type: QUEUE,
    Metadata: { slicWatch: { alarms: { enabled: false } } },
    Properties: { QueueName: queueName, MessageRetentionPeriod: FOURTEEN_DAYS },
  };
}

/** `OrderEvents` → `order-events`, for physical names. */
export const kebabCase = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
