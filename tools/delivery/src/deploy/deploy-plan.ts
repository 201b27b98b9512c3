import { type Command, composeDeployCommands, type Runner, shellLine } from './compose-commands.ts';
import type { PlannedService } from './plan.ts';

export interface DeployRequest {
  stage: string;
  /** What the plan was made from, for the heading: `changes since main (3f2a…)`, `asked for`. */
  from: string;
}

/** The plan as a reader wants it: each service with why it is in, then the exact commands a deploy runs. */
export function describePlan(plan: PlannedService[], { stage, from }: DeployRequest): string {
  if (plan.length === 0) return `Nothing to deploy to ${stage}: ${from} reach no service.`;
  const width = Math.max(...plan.map((p) => p.service.length));
  return [
    `Deploy plan for ${stage} (${from}), in compose order:`,
    ...plan.map(({ service, why }, index) => `  ${index + 1}. ${service.padEnd(width)}  ${why}`),
    'Commands:',
    ...composeDeployCommands(
      plan.map((p) => p.service),
      stage,
    ).map((command) => `  ${shellLine(command)}`),
  ].join('\n');
}

/** Runs the plan's commands one after another; the first failure stops it and names what was deployed before it. */
export async function deployPlan(plan: PlannedService[], stage: string, run: Runner): Promise<void> {
  const commands: Command[] = composeDeployCommands(
    plan.map((p) => p.service),
    stage,
  );
  const done: string[] = [];
  for (const command of commands) {
    try {
      await run(command);
    } catch (error) {
      const deployed = done.length ? `deployed before it: ${done.join(', ')}` : 'nothing was deployed';
      throw new Error(`${shellLine(command)} failed (${deployed}): ${(error as Error).message}`, { cause: error });
    }
    const service = command.args.find((arg) => arg.startsWith('--service='));
    if (service) done.push(service.slice('--service='.length));
  }
}
