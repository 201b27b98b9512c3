import { array, discriminatedUnion, iso, literal, minLength, object, string, type infer as Infer, type ZodMiniType } from 'zod/mini';
import { CurrencyCode, CustomerId, OrderLine } from './orders-api';
import './zod';

/**
 * Every event on a topic travels in the same envelope. `type` and `version`
 * together name the schema of `data`; consumers filter on `type` (it is also
 * sent as the SNS message attribute `eventType`).
 */
const envelope = <Type extends string, Data extends ZodMiniType>(type: Type, version: number, data: Data) =>
  object({
    id: string().check(minLength(1)),
    type: literal(type),
    version: literal(version),
    occurredAt: iso.datetime(),
    source: string().check(minLength(1)),
    correlationId: string().check(minLength(1)),
    data,
  });

export const OrderPlacedV1 = envelope(
  'OrderPlaced',
  1,
  object({
    orderId: string(),
    customerId: CustomerId,
    currency: CurrencyCode,
    lines: array(OrderLine).check(minLength(1)),
  }),
);
export type OrderPlacedV1 = Infer<typeof OrderPlacedV1>;

export const OrderCancelledV1 = envelope(
  'OrderCancelled',
  1,
  object({
    orderId: string(),
    customerId: CustomerId,
    previousStatus: string(),
    lines: array(OrderLine),
  }),
);
export type OrderCancelledV1 = Infer<typeof OrderCancelledV1>;

/** Everything the orders service publishes on the orders topic. */
export const OrderEvent = discriminatedUnion('type', [OrderPlacedV1, OrderCancelledV1]);
export type OrderEvent = Infer<typeof OrderEvent>;
export type OrderEventType = OrderEvent['type'];

/** The name of the SNS message attribute that carries the event type. */
export const EVENT_TYPE_ATTRIBUTE = 'eventType';
