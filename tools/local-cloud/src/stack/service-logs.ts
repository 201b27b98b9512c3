/**
 * Every line each service's functions log, kept in `<state-dir>/logs/<service>.log` for the run (the console shows
 * them only once the stack is ready, and not at all with --quiet-services): what to read after a failure, and
 * what a test searches to prove a secret never reaches a log.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export interface ServiceLogs {
  write(service: string, line: string): void;
  close(): Promise<void>;
  readonly dir: string;
}

export function serviceLogs(stateDir: string): ServiceLogs {
  const dir = join(stateDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, WriteStream>();
  return {
    dir,
    write(service, line) {
      let file = files.get(service);
      if (!file) {
        // A new run starts each service's log afresh.
        file = createWriteStream(join(dir, `${service}.log`), { flags: 'w' });
        files.set(service, file);
      }
      file.write(`${line}\n`);
    },
    close: async () => {
      await Promise.all([...files.values()].map((file) => new Promise<void>((resolve) => file.end(resolve))));
    },
  };
}
