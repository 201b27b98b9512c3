import { routeKeysOf } from '@storefront/contracts';
import { describeServiceTemplate } from '@storefront/testing';

// The checks every service's template passes; add this service's own below, reading the returned template.
describeServiceTemplate('reporting', {
  routes: routeKeysOf('reporting'),
  subscriptions: [{ queue: 'OrderEvents', topic: 'orders', eventTypes: ['OrderPlaced'], consumer: 'recordOrder' }],
});
