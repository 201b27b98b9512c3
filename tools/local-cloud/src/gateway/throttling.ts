/**
 * Stage throttling as API Gateway applies it to an HTTP API: every route has a token bucket holding up to its burst
 * limit and refilled at its rate limit (requests per second); a request that finds the bucket empty is refused with a
 * 429. The limits are the stage's `DefaultRouteSettings`, and a route's own `RouteSettings` where it has them.
 */

export interface ThrottleLimits {
  /** Requests per second, steady. */
  rate: number;
  /** Requests at once above the steady rate. */
  burst: number;
}

/** A stage's settings as CloudFormation's `AWS::ApiGatewayV2::Stage` declares them, resolved. */
export interface StageSettings {
  DefaultRouteSettings?: RouteSettings;
  RouteSettings?: Record<string, RouteSettings>;
}

interface RouteSettings {
  ThrottlingRateLimit?: number | string;
  ThrottlingBurstLimit?: number | string;
}

export type Admission = { admitted: true } | { admitted: false; limits: ThrottleLimits; retryAfterSeconds: number };

const limitsOf = (settings: RouteSettings | undefined, fallback?: ThrottleLimits): ThrottleLimits | undefined => {
  const rate = settings?.ThrottlingRateLimit ?? fallback?.rate;
  const burst = settings?.ThrottlingBurstLimit ?? fallback?.burst;
  return rate === undefined || burst === undefined ? undefined : { rate: Number(rate), burst: Number(burst) };
};

export class RouteThrottle {
  #defaults: ThrottleLimits | undefined;
  #perRoute: Map<string, ThrottleLimits>;
  #buckets = new Map<string, { tokens: number; at: number }>();
  #clock: () => number;

  /** `clock` answers milliseconds; tests pass their own. */
  constructor(stage: StageSettings = {}, clock: () => number = () => performance.now()) {
    this.#defaults = limitsOf(stage.DefaultRouteSettings);
    this.#perRoute = new Map(
      Object.entries(stage.RouteSettings ?? {}).flatMap(([routeKey, settings]) => {
        const limits = limitsOf(settings, this.#defaults);
        return limits ? [[routeKey, limits]] : [];
      }),
    );
    this.#clock = clock;
  }

  /** The limits of a route (`POST /orders`), if the stage sets any. */
  limitsOf(routeKey: string): ThrottleLimits | undefined {
    return this.#perRoute.get(routeKey) ?? this.#defaults;
  }

  /** Takes one request's token from the route's bucket, if there is one. */
  admit(routeKey: string): Admission {
    const limits = this.limitsOf(routeKey);
    if (!limits) return { admitted: true };
    const now = this.#clock();
    const bucket = this.#buckets.get(routeKey) ?? { tokens: limits.burst, at: now };
    bucket.tokens = Math.min(limits.burst, bucket.tokens + ((now - bucket.at) / 1000) * limits.rate);
    bucket.at = now;
    this.#buckets.set(routeKey, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { admitted: true };
    }
    const retryAfterSeconds = limits.rate > 0 ? Math.max(1, Math.ceil((1 - bucket.tokens) / limits.rate)) : 1;
    return { admitted: false, limits, retryAfterSeconds };
  }
}
