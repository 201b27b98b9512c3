import { describeFailure } from '#packaging';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** One line when a component starts and one when it is ready or failed, with the time it took. */
export function createProgress({ write = (line) => process.stdout.write(`${line}\n`), quiet = false } = {}) {
  const bootStarted = Date.now();
  const say = (line) => quiet || write(line);
  return {
    info: say,
    async step(name, action) {
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
