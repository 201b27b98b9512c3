/**
 * The local payment provider's failures on demand (`npm start -- --payment-faults 0.3`): that share of calls fails
 * the way a real provider fails. Half of them answer 500 before anything happened; the other half hang past the
 * caller's timeout, some before the charge and some after it, so a retry meets both a provider that never saw the
 * first attempt and one that already took the money: only an idempotency key makes both come out right.
 * The draws come from a seeded generator, so a run with the same seed and calls fails the same calls.
 */

export type Fault = 'none' | 'unavailable' | 'timeout-before-charge' | 'timeout-after-charge';

export const DEFAULT_FAULT_SEED = 20_240_601;

/** mulberry32: a small, well-distributed 32-bit generator; the same seed gives the same sequence. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Why a fault rate is refused, or undefined when it is a share between 0 and 1. */
export function faultRateProblem(rate: unknown): string | undefined {
  const value = typeof rate === 'string' && rate.trim() !== '' ? Number(rate) : rate;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
    return `the payment fault rate is a share of calls between 0 and 1, e.g. 0.3 (got ${String(rate)})`;
  return undefined;
}

function checkedRate(rate: unknown): number {
  const problem = faultRateProblem(rate);
  if (problem) throw new RangeError(problem);
  return Number(rate);
}

export class PaymentFaults {
  #random: () => number;
  #rate: number;
  readonly injected: Record<Exclude<Fault, 'none'>, number> = {
    unavailable: 0,
    'timeout-before-charge': 0,
    'timeout-after-charge': 0,
  };

  constructor({ rate = 0, seed = DEFAULT_FAULT_SEED }: { rate?: number; seed?: number } = {}) {
    this.#rate = checkedRate(rate);
    this.#random = seededRandom(seed);
  }

  get rate(): number {
    return this.#rate;
  }

  /** A new rate, and with a seed a new sequence; a rate outside 0..1 is refused. */
  configure({ rate, seed }: { rate: number; seed?: number | undefined }): void {
    this.#rate = checkedRate(rate);
    if (seed !== undefined) this.#random = seededRandom(seed);
  }

  /** The fate of the next call. Every call draws once, so the sequence does not depend on which calls failed. */
  next(): Fault {
    const draw = this.#random();
    if (draw >= this.#rate) return 'none';
    // The draw is uniform below the rate: its position there picks the kind, evenly.
    const position = draw / this.#rate;
    const fault: Fault = position < 0.5 ? 'unavailable' : position < 0.75 ? 'timeout-before-charge' : 'timeout-after-charge';
    this.injected[fault] += 1;
    return fault;
  }
}
