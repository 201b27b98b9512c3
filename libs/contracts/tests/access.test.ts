import { callerFromClaims, claimList, mayActFor } from '../src';

describe('the caller behind a request', () => {
  it('reads groups and scopes in the string form API Gateway hands over', () => {
    const caller = callerFromClaims({ sub: 'c-1', 'cognito:groups': '[admins customers]', scope: 'storefront/shop storefront/admin' });

    expect(caller).toEqual({ id: 'c-1', groups: ['admins', 'customers'], scopes: ['storefront/shop', 'storefront/admin'] });
  });

  it('reads array claims as a decoded token holds them, and takes the scopes listed beside the claims first', () => {
    const caller = callerFromClaims({ sub: 'c-1', 'cognito:groups': ['customers'], scope: 'ignored' }, ['storefront/shop']);

    expect(caller).toEqual({ id: 'c-1', groups: ['customers'], scopes: ['storefront/shop'] });
  });

  it('knows no caller without a subject', () => {
    expect(callerFromClaims(undefined)).toBeUndefined();
    expect(callerFromClaims({ sub: '', 'cognito:groups': '[admins]' })).toBeUndefined();
  });

  it('reads a single group and no group at all', () => {
    expect(claimList('admins')).toEqual(['admins']);
    expect(claimList(undefined)).toEqual([]);
    expect(claimList('[]')).toEqual([]);
  });

  it('lets customers act for themselves and admins for anyone, and no one else for another customer', () => {
    const customer = { id: 'c-1', groups: ['customers'], scopes: [] };
    const admin = { id: 'a-1', groups: ['admins'], scopes: [] };

    expect(mayActFor(customer, 'c-1')).toBe(true);
    expect(mayActFor(customer, 'c-2')).toBe(false);
    expect(mayActFor(admin, 'c-2')).toBe(true);
  });
});
