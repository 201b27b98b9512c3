import { describeFailure } from '#packaging';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line when a component starts and one when it is ready or failed, with the time it took. */
export interface Progress {
  info: (line: string) => void;
  step: <T>(name: string, action: () => Promise<T>) => Promise<T>;
  elapsed: () => string;
}

export function createProgress({
  write = (line: string) => process.stdout.write(`${line}\n`),
  quiet = false,
}: { write?: (line: string) => void; quiet?: boolean } = {}): Progress {
  const bootStarted = Date.now();
  const say = (line: string) => {
    if (!quiet) write(line);
  };
  return {
    info: say,
    async step<T>(name: string, action: () => Promise<T>): Promise<T> {
      const started = Date.now();
      say(`  … ${name}: starting`);
      try {
        const result = await action();
        say(`  ✔ ${name}: ready (${seconds(Date.now() - started)})`);
        return result;
      } catch (error) {
        say(`  ✘ ${name}: failed (${seconds(Date.now() - started)}): ${describeFailure(error)}`);
        throw error;
      }
    },
    elapsed: () => seconds(Date.now() - bootStarted),
  };
}
