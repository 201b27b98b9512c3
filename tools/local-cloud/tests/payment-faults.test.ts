import { faultRateProblem, PaymentFaults } from '../src/emulators/payment-provider/payment-faults.ts';

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

  it('limits faults to the calls named, drawing for every call so the sequence does not depend on the limit', () => {
    const limited = new PaymentFaults({ rate: 0.5, seed: 11, calls: ['confirm'] });
    const unlimited = new PaymentFaults({ rate: 0.5, seed: 11 });
    const calls = Array.from({ length: 10 }, () => ['create', 'confirm', 'retrieve', 'cancel', 'refund'] as const).flat();

    const fates = calls.map((call) => [limited.next(call), unlimited.next(call)] as const);

    fates.forEach(([fate, unlimitedFate], n) => expect(fate).toBe(calls[n] === 'confirm' ? unlimitedFate : 'none'));
    expect(fates.filter(([fate]) => fate !== 'none').length).toBeGreaterThan(0);
    expect(new PaymentFaults({ rate: 1, calls: ['confirm'] }).next()).toBe('none');
  });

  it('fails only in the kinds named, evenly among them', () => {
    const afterCharging = new PaymentFaults({ rate: 1, kinds: ['timeout-after-charge'] });
    const twoKinds = new PaymentFaults({ rate: 1, seed: 5, kinds: ['unavailable', 'timeout-before-charge'] });

    const twoKindsDrawn = draws(twoKinds, 400);

    expect(new Set(draws(afterCharging, 50))).toEqual(new Set(['timeout-after-charge']));
    expect(new Set(twoKindsDrawn)).toEqual(new Set(['unavailable', 'timeout-before-charge']));
    expect(twoKindsDrawn.filter((fate) => fate === 'unavailable').length).toBeGreaterThan(150);
  });

  it('takes limits while running, shows them in its settings, and forgets them when configured without', () => {
    const faults = new PaymentFaults();

    faults.configure({ rate: 1, calls: ['confirm'], kinds: ['timeout-after-charge'] });
    const limited = faults.settings;
    faults.configure({ rate: 1 });

    expect(limited).toEqual({ rate: 1, calls: ['confirm'], kinds: ['timeout-after-charge'] });
    expect(faults.settings).toEqual({ rate: 1 });
    expect(faults.next('create')).not.toBe('none');
  });

  it.each([
    ['an unknown call', { calls: ['charge'] }, 'calls'],
    ['no calls at all', { calls: [] }, 'calls'],
    ['a call not in a list', { calls: 'confirm' }, 'calls'],
    ['an unknown kind', { kinds: ['slow'] }, 'kinds'],
  ])('refuses %s, naming what it takes, and keeps its settings', (_, limits, what) => {
    const faults = new PaymentFaults({ rate: 0.2 });

    expect(() => faults.configure({ rate: 1, ...(limits as object) })).toThrow(new RegExp(`payment fault ${what} are a non-empty list`));
    expect(faults.settings).toEqual({ rate: 0.2 });
  });
});
