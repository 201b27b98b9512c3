/** What every benchmark reports through: a named figure, its budget (none: shown for context) and its unit. */
export type RecordFigure = (name: string, value: number, budget?: number, unit?: string) => void;

/** The `bench` section of budgets.json: a budget per figure name. */
export type Budgets = { [figure: string]: number };

/** The middle value; with an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The nearest-rank percentile: the smallest sample at or above p% of them. */
export const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] as number;

/**
 * The runs of one round of paired measurements, in the order to run them: the list turned by the round's number and
 * reversed every other turn, so over 2 × n rounds each of n runs goes first, and follows each other run, equally often.
 */
export function rotation<Run>(runs: Run[], round: number): Run[] {
  const turn = round % runs.length;
  const turned = [...runs.slice(turn), ...runs.slice(0, turn)];
  return Math.floor(round / runs.length) % 2 === 0 ? turned : turned.reverse();
}
