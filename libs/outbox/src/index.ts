export { OUTBOX_ENTITY, OUTBOX_RETENTION_SECONDS, outboxItem, type OutboxEvent } from './outbox-record';
export { outboxRelay } from './outbox-relay';
export { SnsEventPublisher } from './sns-event-publisher';
