/**
 * A Serverless plugin every service loads from the base config: each queue
 * that holds failures (a queue's dead-letter queue, an event source
 * mapping's on-failure destination, or a schedule's dead-letter queue) gets a CloudWatch alarm that fires as
 * soon as it holds a message, and notifies `custom.alerts.topicArn` if set.
 * Nothing lands in a dead-letter queue unnoticed, and no service has to remember.
 * It also tells serverless-slic-watch-plugin, which runs after it, what to leave alone (./slic-watch.ts).
 * Node runs it as it is (type stripping): only erasable syntax.
 */
import { firstOccurrenceAlarm } from '../alarms.ts';
import {
  fixIndexDimension,
  leaveFailureQueuesAlone,
  mergeSettings,
  NO_ITERATOR_AGE_ALARM,
  sqsConsumers,
  sumSystemErrorsOverOperations,
} from './slic-watch.ts';

const QUEUE = 'AWS::SQS::Queue';

/** A reference to another resource's attribute, as the compiled template holds it. */
type GetAtt = { 'Fn::GetAtt'?: [string, string] } | undefined;

interface TemplateResource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties?: {
    RedrivePolicy?: { deadLetterTargetArn?: GetAtt };
    DestinationConfig?: { OnFailure?: { Destination?: GetAtt } };
    Target?: { DeadLetterConfig?: { Arn?: GetAtt } };
    [property: string]: unknown;
  };
}

/** Logical ids of the queues that receive what failed, read from the compiled template. */
export function failureQueues(resources: Record<string, TemplateResource>): string[] {
  const ids = new Set<string>();
  for (const resource of Object.values(resources)) {
    const target =
      resource.Type === QUEUE
        ? resource.Properties?.RedrivePolicy?.deadLetterTargetArn
        : resource.Type === 'AWS::Lambda::EventSourceMapping'
          ? resource.Properties?.DestinationConfig?.OnFailure?.Destination
          : resource.Type === 'AWS::Scheduler::Schedule'
            ? resource.Properties?.Target?.DeadLetterConfig?.Arn
            : undefined;
    const logicalId = target?.['Fn::GetAtt']?.[0];
    if (logicalId && resources[logicalId]?.Type === QUEUE) ids.add(logicalId);
  }
  return [...ids].sort();
}

function alarmFor(logicalId: string, topicArn: unknown): TemplateResource {
  return firstOccurrenceAlarm(
    {
      description: `Messages are waiting in ${logicalId}: something failed for good. Inspect and redrive them.`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId, 'QueueName'] } }],
      statistic: 'Maximum',
    },
    topicArn,
  );
}

/** What of the framework's plugin API this plugin uses. */
interface Serverless {
  service: {
    provider: { compiledCloudFormationTemplate: { Resources: Record<string, TemplateResource> } };
    custom?: { alerts?: { topicArn?: unknown } } | undefined;
    functions?: Record<string, { slicWatch?: unknown }>;
  };
  getProvider?: (name: 'aws') => { naming: { getLambdaLogicalId: (functionName: string) => string } };
}

// osls takes a plugin module's default export.
export default class DeadLetterAlarms {
  readonly serverless: Serverless;
  readonly hooks: Record<string, () => void>;

  constructor(serverless: Serverless) {
    this.serverless = serverless;
    this.hooks = {
      // After the service's own resources are merged into the template (and before slic-watch, which loads later and
      // runs at the same hook).
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addAlarms(),
      // After every plugin has added its resources, before the template is saved.
      'before:aws:package:finalize:saveServiceState': () => this.fixSlicWatch(),
    };
  }

  addAlarms(): void {
    const { Resources } = this.serverless.service.provider.compiledCloudFormationTemplate;
    const topicArn = this.serverless.service.custom?.alerts?.topicArn;
    const queues = failureQueues(Resources);
    for (const logicalId of queues) Resources[`${logicalId}Alarm`] = alarmFor(logicalId, topicArn);
    leaveFailureQueuesAlone(Resources, queues);
    this.leaveQueueConsumersIteratorAgeAlone(Resources);
  }

  /** What slic-watch 3.2.0 gets wrong about DynamoDB's metrics (./slic-watch.ts). */
  fixSlicWatch(): void {
    const { Resources } = this.serverless.service.provider.compiledCloudFormationTemplate;
    fixIndexDimension(Resources);
    sumSystemErrorsOverOperations(Resources);
  }

  leaveQueueConsumersIteratorAgeAlone(resources: Record<string, TemplateResource>): void {
    const naming = this.serverless.getProvider?.('aws').naming;
    if (!naming) return;
    const consumers = new Set(sqsConsumers(resources));
    for (const [name, fn] of Object.entries(this.serverless.service.functions ?? {}))
      if (consumers.has(naming.getLambdaLogicalId(name))) fn.slicWatch = mergeSettings(fn.slicWatch, NO_ITERATOR_AGE_ALARM);
  }
}
