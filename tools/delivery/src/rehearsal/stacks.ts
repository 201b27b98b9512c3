/** What the emulator's CloudFormation holds after a step: each service's stack as the rehearsal checks it. */
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';

export interface DeployedStack {
  name: string;
  status: string;
  outputs: Record<string, string>;
  /** When the stack last changed: its last update, or its creation. */
  changedAt: string;
  /** How many events it has recorded: a deploy that changes nothing adds none. */
  events: number;
  /** Seconds from its first event to its last. */
  seconds: number;
  resourceTypes: string[];
  template: string;
}

export const cloudFormation = (endpoint: string) => new CloudFormationClient({ endpoint, region: 'us-east-1', maxAttempts: 1 });

export async function readStack(client: CloudFormationClient, name: string): Promise<DeployedStack | undefined> {
  const stack = await client.send(new DescribeStacksCommand({ StackName: name })).then(
    (answer) => answer.Stacks?.[0],
    () => undefined,
  );
  if (!stack) return undefined;
  const [resources, template, events] = await Promise.all([
    client.send(new DescribeStackResourcesCommand({ StackName: name })),
    client.send(new GetTemplateCommand({ StackName: name })),
    client.send(new DescribeStackEventsCommand({ StackName: name })),
  ]);
  const times = (events.StackEvents ?? []).map((event) => event.Timestamp?.getTime() ?? 0).filter(Boolean);
  return {
    name,
    status: stack.StackStatus ?? 'UNKNOWN',
    outputs: Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? ''])),
    changedAt: (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString() ?? '',
    events: times.length,
    seconds: times.length ? (Math.max(...times) - Math.min(...times)) / 1000 : 0,
    resourceTypes: (resources.StackResources ?? []).map((resource) => resource.ResourceType ?? ''),
    template: template.TemplateBody ?? '',
  };
}

/** The stacks of these names that exist, deleted ones left out. */
export async function liveStacks(client: CloudFormationClient, names: string[]): Promise<string[]> {
  const live: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListStacksCommand({ NextToken }));
    for (const summary of page.StackSummaries ?? [])
      if (names.includes(summary.StackName ?? '') && summary.StackStatus !== 'DELETE_COMPLETE') live.push(summary.StackName ?? '');
    NextToken = page.NextToken;
  } while (NextToken);
  return live;
}
