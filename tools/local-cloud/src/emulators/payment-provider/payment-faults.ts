/**
 * The local payment provider's failures on demand (`npm start -- --payment-faults 0.3`): that share of calls fails
 * the way a real provider fails. Half of them answer 500 before anything happened; the other half hang past the
 * caller's timeout, some before the charge and some after it, so a retry meets both a provider that never saw the
 * first attempt and one that already took the money: only an idempotency key makes both come out right.
 * The draws come from a seeded generator, so a run with the same seed and calls fails the same calls. Faults can be
 * limited to some calls and some kinds (POST /_local/faults {"rate": 1, "calls": ["confirm"], "kinds": [...]}): every
 * confirm failing after it charged, say, while reading and cancelling go through.
 */

export const FAULT_KINDS = ['unavailable', 'timeout-before-charge', 'timeout-after-charge'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type Fault = 'none' | FaultKind;

/** The provider's calls, named as Stripe's libraries name them; faults can be limited to some of them. */
export const PROVIDER_CALLS = ['create', 'confirm', 'retrieve', 'cancel', 'refund'] as const;
export type ProviderCall = (typeof PROVIDER_CALLS)[number];

/** How faults are drawn: the share of calls that fail; optionally only these calls fail, and only in these ways. */
export interface FaultSettings {
  rate: number;
  seed?: number | undefined;
  calls?: readonly ProviderCall[] | undefined;
  kinds?: readonly FaultKind[] | undefined;
}

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

/** A non-empty list of known names, or undefined for "all of them". */
function checkedList<T extends string>(what: string, list: unknown, known: readonly T[]): readonly T[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => known.includes(item)))
    throw new RangeError(`the payment fault ${what} are a non-empty list of ${known.join(', ')} (got ${JSON.stringify(list)})`);
  return list as T[];
}

export class PaymentFaults {
  #random: () => number;
  #rate = 0;
  #calls: readonly ProviderCall[] | undefined;
  #kinds: readonly FaultKind[] | undefined;
  readonly injected: Record<FaultKind, number> = {
    unavailable: 0,
    'timeout-before-charge': 0,
    'timeout-after-charge': 0,
  };

  constructor({ seed = DEFAULT_FAULT_SEED, ...settings }: Partial<FaultSettings> = {}) {
    this.#random = seededRandom(seed);
    this.configure({ rate: 0, ...settings });
  }

  get rate(): number {
    return this.#rate;
  }

  /** The settings in force, as GET /_local/ledger shows them. */
  get settings(): Omit<FaultSettings, 'seed'> {
    return { rate: this.#rate, ...(this.#calls ? { calls: this.#calls } : {}), ...(this.#kinds ? { kinds: this.#kinds } : {}) };
  }

  /**
   * New settings, all at once: a rate, and optionally the calls and the kinds of failure it is limited to (all of
   * them when left out); with a seed, a new sequence. A rate outside 0..1 or an unknown call or kind is refused.
   */
  configure({ rate, seed, calls, kinds }: FaultSettings): void {
    const checked = {
      rate: checkedRate(rate),
      calls: checkedList('calls', calls, PROVIDER_CALLS),
      kinds: checkedList('kinds', kinds, FAULT_KINDS),
    };
    this.#rate = checked.rate;
    this.#calls = checked.calls;
    this.#kinds = checked.kinds;
    if (seed !== undefined) this.#random = seededRandom(seed);
  }

  /**
   * The fate of the next call (`call`: which one it is). Every call draws once, so the sequence does not depend on
   * which calls failed, nor on which calls the faults are limited to.
   */
  next(call?: ProviderCall): Fault {
    const draw = this.#random();
    if (draw >= this.#rate || (this.#calls && !(call && this.#calls.includes(call)))) return 'none';
    // The draw is uniform below the rate: its position there picks the kind, evenly among those allowed, or by
    // default half outages and a quarter of each timeout.
    const position = draw / this.#rate;
    const fault: FaultKind = this.#kinds
      ? (this.#kinds[Math.floor(position * this.#kinds.length)] as FaultKind)
      : position < 0.5
        ? 'unavailable'
        : position < 0.75
          ? 'timeout-before-charge'
          : 'timeout-after-charge';
    this.injected[fault] += 1;
    return fault;
  }
}
