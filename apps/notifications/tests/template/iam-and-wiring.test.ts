import { routeKeysOf } from '@storefront/contracts';
import { describeServiceTemplate } from '@storefront/testing';

describeServiceTemplate('notifications', {
  routes: routeKeysOf('notifications'),
  subscriptions: [{ queue: 'OrderEvents', topic: 'orders', eventTypes: ['OrderPlaced', 'OrderCancelled'], consumer: 'notifyCustomers' }],
});
