import { int, iso, minimum, object, string, type infer as Infer } from 'zod/mini';
import { CustomerId } from './orders-api';
import './zod';

/** What the reporting service keeps about an order it heard of. */
export const ReportingOrderRecord = object({
  orderId: string(),
  customerId: CustomerId,
  units: int().check(minimum(1)),
  placedAt: iso.datetime(),
});
export type ReportingOrderRecord = Infer<typeof ReportingOrderRecord>;
