/**
 * Invocations per function, bounded the way Lambda's reserved concurrency
 * bounds them. serverless-offline starts a worker thread (and unpacks the
 * bundle again) for every invocation that finds no idle worker, so a burst of
 * 500 requests meant 500 workers importing their bundle at once on two cores:
 * gigabytes of memory and Lambda timeouts. Here a few invocations run per
 * function and the rest wait their turn; only a full queue is refused.
 */

/** Invocations one function runs at once locally, and how many more may wait. */
export const DEFAULT_MAX_IN_FLIGHT = 4;
export const DEFAULT_MAX_QUEUED = 1000;

/** The queue of a function is full: the caller answers it as Lambda throttling. */
export class ThrottledError extends Error {
  constructor(functionName: string, queued: number) {
    super(`${functionName} has ${queued} invocations waiting already`);
    this.name = 'ThrottledError';
  }
}

export class ConcurrencyLimiter {
  #active = 0;
  #waiting: (() => void)[] = [];
  readonly name: string;
  readonly maxInFlight: number;
  readonly maxQueued: number;

  constructor({ name = 'function', maxInFlight, maxQueued }: { name?: string; maxInFlight: number; maxQueued: number }) {
    this.name = name;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  get inFlight(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `task` when a slot is free; rejects with ThrottledError, without running it, when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#active < this.maxInFlight) {
      this.#active += 1;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.maxQueued) return Promise.reject(new ThrottledError(this.name, this.#waiting.length));
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release() {
    const next = this.#waiting.shift();
    // The slot passes straight to the next waiter, so a newcomer can never overtake the queue.
    if (next) next();
    else this.#active -= 1;
  }
}

/** One limiter per function name, shared by the gateway and the event sources. */
export class FunctionConcurrency {
  #limiters = new Map<string, ConcurrencyLimiter>();
  readonly maxInFlight: number;
  readonly maxQueued: number;

  constructor({ maxInFlight, maxQueued }: { maxInFlight: number; maxQueued: number }) {
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  of(functionName: string): ConcurrencyLimiter {
    let limiter = this.#limiters.get(functionName);
    if (!limiter) {
      limiter = new ConcurrencyLimiter({ name: functionName, maxInFlight: this.maxInFlight, maxQueued: this.maxQueued });
      this.#limiters.set(functionName, limiter);
    }
    return limiter;
  }

  run<T>(functionName: string, task: () => Promise<T>): Promise<T> {
    return this.of(functionName).run(task);
  }
}
