import { compileRoute, findRoute } from '../local/gateway.mjs';

const routes = [
  compileRoute('GET /orders/{orderId}', { service: 'orders' }),
  compileRoute('POST /orders/{orderId}/cancel', { service: 'orders' }),
  compileRoute('GET /orders/export', { service: 'reporting' }),
  compileRoute('GET /customers/{customerId}/notifications', { service: 'notifications' }),
  compileRoute('ANY /files/{proxy+}', { service: 'files' }),
];

describe('gateway routing', () => {
  it('sends a request to the service that owns the route', () => {
    expect(findRoute(routes, 'GET', '/customers/c-1/notifications').route?.target.service).toBe('notifications');
    expect(findRoute(routes, 'POST', '/orders/o-1/cancel').route?.target.service).toBe('orders');
  });

  it('prefers a literal segment over a path parameter', () => {
    expect(findRoute(routes, 'GET', '/orders/export').route?.target.service).toBe('reporting');
    expect(findRoute(routes, 'GET', '/orders/o-1').route?.target.service).toBe('orders');
  });

  it('reports the allowed methods when only the method is wrong', () => {
    expect(findRoute(routes, 'DELETE', '/orders/o-1')).toEqual({ route: undefined, allowed: ['GET'] });
  });

  it('matches greedy proxy paths for any method', () => {
    expect(findRoute(routes, 'PUT', '/files/a/b/c.txt').route?.target.service).toBe('files');
  });

  it('finds nothing for an unknown path', () => {
    expect(findRoute(routes, 'GET', '/nope')).toEqual({ route: undefined, allowed: [] });
  });
});
