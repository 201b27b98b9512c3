import { cpus } from 'node:os';

/**
 * Invocations per function, bounded the way Lambda's reserved concurrency
 * bounds them. serverless-offline starts a worker thread (and unpacks the
 * bundle again) for every invocation that finds no idle worker, so a burst of
 * 500 requests meant 500 workers importing their bundle at once on two cores:
 * gigabytes of memory and Lambda timeouts. Here a few invocations run per
 * function and the rest wait their turn; only a full queue is refused.
 *
 * The limit is this machine's, not AWS's, and it guards the CPU: an invocation that has run for a second is waiting
 * (on a payment provider that hangs, a retry's back-off, a lock), not computing, so it stops counting against the
 * limit and another one starts, up to `maxWaiting` such invocations more. While every core is busy a long invocation
 * may as well be slowed down, so then it counts as waiting only once it has also run SLOWED_DOWN_FACTOR times as long
 * as the function's recent invocations took: a busy machine slows them all alike, while a hung call stands out.
 * Without that, a few hung provider calls held every slot of the charging function for their whole timeout and the
 * checkouts behind them queued for minutes, which AWS, starting another instance, never does.
 *
 * A function's recent durations leave its cold starts out, as Lambda's duration leaves out its init: an invocation
 * that runs more of them at once than ever before (since the function was last idle for IDLE_WORKER_LIFETIME_MS)
 * finds no idle worker, and offline starts one and imports the bundle first. On a fresh stack the first burst is all
 * cold starts, seconds each on busy cores: counted in, they made the typical duration longer than a hung provider
 * call (5 s), which then held its slot to the end, and the first fault round's checkouts queued up to 18 s for one.
 */

/** Invocations one function runs at once locally, and how many more may wait. */
export const DEFAULT_MAX_IN_FLIGHT = 4;
export const DEFAULT_MAX_QUEUED = 1000;
/** How many more invocations a function may run while that many of its invocations are waiting, and when one is. */
export const DEFAULT_MAX_WAITING = 16;
export const WAITING_AFTER_MS = 1000;
/** While every core is busy, how many times its function's typical duration an invocation runs before it counts as waiting. */
export const SLOWED_DOWN_FACTOR = 2;
/** How many of a function's latest invocations its typical (median) duration is taken from. */
const DURATIONS_KEPT = 20;
/** How long serverless-offline keeps an idle worker (its `terminateIdleLambdaTime`, a minute by default). */
export const IDLE_WORKER_LIFETIME_MS = 60_000;

/** The queue of a function is full: the caller answers it as Lambda throttling. */
export class ThrottledError extends Error {
  constructor(functionName: string, queued: number) {
    super(`${functionName} has ${queued} invocations waiting already`);
    this.name = 'ThrottledError';
  }
}

export interface ConcurrencyLimits {
  maxInFlight: number;
  maxQueued: number;
  /** How many invocations that have run for `waitingAfterMs` stop counting against `maxInFlight` (default 16). */
  maxWaiting?: number;
  waitingAfterMs?: number;
  /** Whether the machine has CPU to spare now (see idleCpuSampler); always, unless told. */
  hasIdleCpu?: () => boolean;
}

/**
 * Whether the machine's cores were idle for at least `minIdleShare` of the last interval, sampled every `intervalMs`
 * from the kernel's CPU times; `stop` ends the sampling.
 */
export function idleCpuSampler({ intervalMs = 500, minIdleShare = 0.2 } = {}): { hasIdleCpu: () => boolean; stop: () => void } {
  const totals = () =>
    cpus().reduce(
      (sum, { times }) => ({ idle: sum.idle + times.idle, all: sum.all + times.idle + times.user + times.sys + times.nice + times.irq }),
      { idle: 0, all: 0 },
    );
  let last = totals();
  let idle = true;
  const timer = setInterval(() => {
    const now = totals();
    const all = now.all - last.all;
    idle = all <= 0 || (now.idle - last.idle) / all >= minIdleShare;
    last = now;
  }, intervalMs);
  timer.unref();
  return { hasIdleCpu: () => idle, stop: () => clearInterval(timer) };
}

export class ConcurrencyLimiter {
  #active = 0;
  #waitingLong = 0;
  #durations: number[] = [];
  /** The most invocations that ran at once since the function was last idle: as many workers are warm. */
  #warmWorkers = 0;
  #lastEndedAt = 0;
  #queue: ((cold: boolean) => void)[] = [];
  readonly name: string;
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly maxWaiting: number;
  readonly waitingAfterMs: number;
  readonly hasIdleCpu: () => boolean;

  constructor({
    name = 'function',
    maxInFlight,
    maxQueued,
    maxWaiting = DEFAULT_MAX_WAITING,
    waitingAfterMs = WAITING_AFTER_MS,
    hasIdleCpu = () => true,
  }: ConcurrencyLimits & { name?: string }) {
    this.name = name;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.maxWaiting = maxWaiting;
    this.waitingAfterMs = waitingAfterMs;
    this.hasIdleCpu = hasIdleCpu;
  }

  get inFlight(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Runs `task` when a slot is free; rejects with ThrottledError, without running it, when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const cold = await this.#acquire();
    const startedAt = Date.now();
    let waitingLong = false;
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      if (!this.#seemsWaiting(Date.now() - startedAt)) {
        timer = setTimeout(check, this.waitingAfterMs / 4);
        return;
      }
      waitingLong = true;
      this.#waitingLong += 1;
      this.#admit();
    };
    timer = setTimeout(check, this.waitingAfterMs);
    try {
      return await task();
    } finally {
      clearTimeout(timer);
      this.#lastEndedAt = Date.now();
      if (!cold) this.#remember(this.#lastEndedAt - startedAt);
      if (waitingLong) this.#waitingLong -= 1;
      this.#active -= 1;
      this.#admit();
    }
  }

  /** Counts an invocation in; answers whether it needs a worker of its own: more run at once than ever before. */
  #start(): boolean {
    this.#active += 1;
    if (this.#active === 1 && Date.now() - this.#lastEndedAt > IDLE_WORKER_LIFETIME_MS) this.#warmWorkers = 0;
    const cold = this.#active > this.#warmWorkers;
    this.#warmWorkers = Math.max(this.#warmWorkers, this.#active);
    return cold;
  }

  /** Whether an invocation that has run this long is waiting rather than computing (see the top of this file). */
  #seemsWaiting(ranMs: number): boolean {
    if (ranMs < this.waitingAfterMs) return false;
    return this.hasIdleCpu() || ranMs >= SLOWED_DOWN_FACTOR * this.#typicalMs();
  }

  /** The median duration of the function's latest invocations; a second when none has ended yet. */
  #typicalMs(): number {
    if (this.#durations.length === 0) return this.waitingAfterMs;
    const sorted = [...this.#durations].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  }

  #remember(durationMs: number): void {
    this.#durations.push(durationMs);
    if (this.#durations.length > DURATIONS_KEPT) this.#durations.shift();
  }

  /** Whether one more invocation may start: few enough are computing, and the waiting ones are within their allowance. */
  #hasRoom(): boolean {
    return this.#active - Math.min(this.#waitingLong, this.maxWaiting) < this.maxInFlight;
  }

  /** Resolves, counted in, when the invocation may start: whether it is a cold start. */
  #acquire(): Promise<boolean> {
    // A newcomer never overtakes the queue.
    if (this.#queue.length === 0 && this.#hasRoom()) return Promise.resolve(this.#start());
    if (this.#queue.length >= this.maxQueued) return Promise.reject(new ThrottledError(this.name, this.#queue.length));
    return new Promise<boolean>((resolve) => this.#queue.push(resolve));
  }

  #admit(): void {
    while (this.#queue.length > 0 && this.#hasRoom()) this.#queue.shift()?.(this.#start());
  }
}

/** One limiter per function name, shared by the gateway and the event sources. */
export class FunctionConcurrency {
  #limiters = new Map<string, ConcurrencyLimiter>();
  readonly limits: ConcurrencyLimits;

  constructor(limits: ConcurrencyLimits) {
    this.limits = limits;
  }

  get maxInFlight(): number {
    return this.limits.maxInFlight;
  }

  of(functionName: string): ConcurrencyLimiter {
    let limiter = this.#limiters.get(functionName);
    if (!limiter) {
      limiter = new ConcurrencyLimiter({ name: functionName, ...this.limits });
      this.#limiters.set(functionName, limiter);
    }
    return limiter;
  }

  run<T>(functionName: string, task: () => Promise<T>): Promise<T> {
    return this.of(functionName).run(task);
  }
}
