import { routesOf } from '@storefront/contracts';
import { describeServiceTemplate } from '@storefront/testing';

describeServiceTemplate('notifications', {
  routes: routesOf('notifications'),
  subscriptions: [{ queue: 'OrderEvents', topic: 'orders', eventTypes: ['OrderPlaced', 'OrderCancelled'], consumer: 'notifyCustomers' }],
});
