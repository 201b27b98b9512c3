import { spawn } from 'node:child_process';

export interface Command {
  command: string;
  args: string[];
}

/** Runs one command to its end; rejects when it fails. Injected, so tests see the commands without running them. */
export type Runner = (command: Command) => Promise<void>;

/**
 * What deploying these services through Serverless Compose takes: the stage's outputs refreshed from its stacks
 * first (a service deployed alone reads its params from them), then each service alone, in the order given.
 */
export function composeDeployCommands(services: string[], stage: string): Command[] {
  if (services.length === 0) return [];
  return [
    { command: 'osls-compose', args: ['refresh-outputs', `--stage=${stage}`] },
    ...services.map((service) => ({ command: 'osls-compose', args: ['deploy', `--service=${service}`, `--stage=${stage}`] })),
  ];
}

export const shellLine = ({ command, args }: Command) => [command, ...args].join(' ');

export const spawnRunner =
  (cwd: string): Runner =>
  ({ command, args }) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd, stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`\`${shellLine({ command, args })}\` exited with ${code}`))));
    });
