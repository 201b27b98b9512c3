import { RouteThrottle } from '../src/gateway/throttling.ts';

/** A throttle on a clock the test moves. */
function throttleAt(stage: ConstructorParameters<typeof RouteThrottle>[0]) {
  let now = 0;
  const throttle = new RouteThrottle(stage, () => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

const admitted = (throttle: RouteThrottle, routeKey: string, times: number) =>
  Array.from({ length: times }, () => throttle.admit(routeKey).admitted).filter(Boolean).length;

describe('stage throttling, a token bucket per route', () => {
  const stage = {
    DefaultRouteSettings: { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 3 },
    RouteSettings: { 'POST /orders': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 1 } },
  };

  it('admits a burst up to the burst limit, then refuses until the rate refills the bucket', () => {
    const { throttle, advance } = throttleAt(stage);

    expect(admitted(throttle, 'GET /products', 5)).toBe(3);
    advance(500);
    expect(admitted(throttle, 'GET /products', 5)).toBe(1);
    advance(10_000);
    expect(admitted(throttle, 'GET /products', 5)).toBe(3);
  });

  it("gives each route a bucket of its own, with the route's own settings where the stage has them", () => {
    const { throttle } = throttleAt(stage);

    expect(admitted(throttle, 'POST /orders', 3)).toBe(1);
    expect(admitted(throttle, 'GET /orders/{orderId}', 4)).toBe(3);
    expect(throttle.limitsOf('POST /orders')).toEqual({ rate: 1, burst: 1 });
  });

  it('says what the limit is and when a token comes back', () => {
    const { throttle } = throttleAt(stage);
    throttle.admit('POST /orders');

    expect(throttle.admit('POST /orders')).toEqual({ admitted: false, limits: { rate: 1, burst: 1 }, retryAfterSeconds: 1 });
  });

  it('takes a route setting without one of the limits from the defaults', () => {
    const { throttle } = throttleAt({ ...stage, RouteSettings: { 'POST /orders': { ThrottlingRateLimit: 10 } } });

    expect(throttle.limitsOf('POST /orders')).toEqual({ rate: 10, burst: 3 });
  });

  it('admits everything on a stage without throttling settings', () => {
    const { throttle } = throttleAt({});

    expect(admitted(throttle, 'POST /orders', 100)).toBe(100);
  });

  it('refuses everything on a route whose burst is 0', () => {
    const { throttle } = throttleAt({ DefaultRouteSettings: { ThrottlingRateLimit: 0, ThrottlingBurstLimit: 0 } });

    expect(admitted(throttle, 'GET /products', 3)).toBe(0);
  });
});
