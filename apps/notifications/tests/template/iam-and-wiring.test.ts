import { routesOf } from '@storefront/contracts';
import { describeServiceTemplate } from '@storefront/testing';
import { consumes } from '../../src/handlers/notify-customers.consumes';

describeServiceTemplate('notifications', {
  routes: routesOf('notifications'),
  subscriptions: [{ queue: 'OrderEvents', topic: 'orders', consumer: 'notifyCustomers', consumes }],
});
