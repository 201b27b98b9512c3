import { ReportEvent } from '@storefront/contracts';
import { outboxRelay } from '@storefront/outbox';

/** Publishes every report event the reporting table's outbox gains to the reports topic. */
export const handler = outboxRelay({ schema: ReportEvent, topicArn: process.env.REPORTS_TOPIC_ARN });
