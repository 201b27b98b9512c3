import { faultRateProblem, PaymentFaults } from '../local/payment-faults.ts';

const draws = (faults: PaymentFaults, count: number) => Array.from({ length: count }, () => faults.next());

describe('payment faults', () => {
  it('fails the same calls again for the same seed and rate', () => {
    expect(draws(new PaymentFaults({ rate: 0.3, seed: 7 }), 200)).toEqual(draws(new PaymentFaults({ rate: 0.3, seed: 7 }), 200));
  });

  it('fails about the given share of calls, with every kind of failure among them', () => {
    const faults = new PaymentFaults({ rate: 0.3, seed: 1 });

    const failed = draws(faults, 2000).filter((fault) => fault !== 'none').length;

    expect(failed).toBeGreaterThan(500);
    expect(failed).toBeLessThan(700);
    expect(faults.injected.unavailable).toBeGreaterThan(0);
    expect(faults.injected['timeout-before-charge']).toBeGreaterThan(0);
    expect(faults.injected['timeout-after-charge']).toBeGreaterThan(0);
  });

  it('fails nothing at rate 0 and everything at rate 1', () => {
    expect(new Set(draws(new PaymentFaults({ rate: 0 }), 100))).toEqual(new Set(['none']));
    expect(draws(new PaymentFaults({ rate: 1 }), 100)).not.toContain('none');
  });

  it('takes a new rate and seed while running', () => {
    const faults = new PaymentFaults({ rate: 0 });

    faults.configure({ rate: 1, seed: 3 });

    expect(faults.rate).toBe(1);
    expect(faults.next()).not.toBe('none');
  });

  it.each([[-0.1], [1.5], ['abc'], [''], [Number.NaN]])('refuses %p as a rate, saying what it takes', (rate) => {
    expect(faultRateProblem(rate)).toContain('between 0 and 1');
    expect(() => new PaymentFaults({ rate: rate as number })).toThrow(RangeError);
  });

  it('accepts a share written as text, as the command line passes it', () => {
    expect(faultRateProblem('0.3')).toBeUndefined();
    expect(faultRateProblem('1')).toBeUndefined();
  });
});
