/** The entity type that marks an item as an outbox event; the relay's stream filter selects on it. */
export const OUTBOX_ENTITY = 'OUTBOX_EVENT';

/** Outbox items only need to outlive the stream (24 h); TTL removes them after a week. */
export const OUTBOX_RETENTION_SECONDS = 7 * 24 * 60 * 60;

export interface OutboxEvent {
  id: string;
  type: string;
  occurredAt: string;
  correlationId: string;
}

/**
 * The item to write, in the same transaction as the state change, so the
 * event exists exactly when the change does. `key` places it in the table.
 */
export function outboxItem<E extends OutboxEvent>(
  key: { PK: string; SK: string },
  event: E,
  nowSeconds: number = Math.floor(Date.now() / 1000),
) {
  return { ...key, entityType: OUTBOX_ENTITY, event, expiresAt: nowSeconds + OUTBOX_RETENTION_SECONDS };
}
