/**
 * What the rehearsal demands of a deployed stage, as pure functions of what CloudFormation holds: every stack
 * complete, every compose param taken from a real output of its producer and used by its consumer, a repeated deploy changing nothing, and an affected deploy changing only what it planned.
 */
import { type ComposeService, outputsTakenFrom } from '#packaging';
import type { DeployedStack } from './stacks.ts';

export interface RehearsedService {
  service: ComposeService;
  stackName: string;
  stack: DeployedStack | undefined;
}

export function incompleteStacks(services: RehearsedService[]): string[] {
  return services.flatMap(({ service, stackName, stack }) =>
    !stack
      ? [`${service.name}: stack ${stackName} does not exist`]
      : /_COMPLETE$/.test(stack.status) && !/ROLLBACK|DELETE/.test(stack.status)
        ? []
        : [`${service.name}: stack ${stackName} is ${stack.status}`],
  );
}

/** Each param from another service's output: the output exists in the producer's stack and reaches the consumer's template. */
export function paramFindings(services: RehearsedService[]): string[] {
  const byName = new Map(services.map((rehearsed) => [rehearsed.service.name, rehearsed]));
  return services.flatMap(({ service, stack }) =>
    service.params.flatMap((param) => {
      if (!param.from || !param.output) return [];
      const producer = byName.get(param.from);
      const value = producer?.stack?.outputs[param.output];
      const where = `${service.name}.params.${param.param} (serverless-compose.yml)`;
      if (value === undefined || value === '')
        return [`${where} reads \${${param.from}.${param.output}}, but ${producer?.stackName ?? param.from} has no output ${param.output}`];
      if (stack && !stack.template.includes(value))
        return [`${where} = ${value}, from ${param.from}.${param.output}, is not in ${service.name}'s deployed template`];
      return [];
    }),
  );
}

/** The stacks a deploy changed: those whose last change or number of events moved. */
export function changedStacks(before: RehearsedService[], after: RehearsedService[]): string[] {
  return after
    .filter(({ service, stack }) => {
      const earlier = before.find((b) => b.service.name === service.name)?.stack;
      return !earlier || !stack || earlier.changedAt !== stack.changedAt || earlier.events !== stack.events;
    })
    .map(({ service }) => service.name);
}

/** A service and every service that takes outputs from it, directly or not: what a change to it must redeploy. */
export function withDependents(services: ComposeService[], name: string): string[] {
  const reached = new Set([name]);
  for (const service of services) if (outputsTakenFrom(service).some((producer) => reached.has(producer))) reached.add(service.name);
  return services.filter((service) => reached.has(service.name)).map((service) => service.name);
}
