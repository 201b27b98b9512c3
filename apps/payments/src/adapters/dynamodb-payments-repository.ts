import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentEvent, PaymentStatus } from '@storefront/contracts';
import { conditionFailed, retryTransactionConflicts } from '@storefront/dynamodb';
import { outboxItem } from '@storefront/outbox';
import type { Payment, Settlement } from '../domain/payment';
import type { PaymentsRepository, StoredPayment } from '../domain/ports';

/** The key of every item kind in the payments table; the access patterns are listed in resources/payments.yml. */
const keys = {
  payment: (orderId: string) => ({ PK: `PAYMENT#${orderId}`, SK: 'PAYMENT' }),
  outboxEvent: (orderId: string, event: PaymentEvent) => ({ PK: `PAYMENT#${orderId}`, SK: `EVENT#${event.occurredAt}#${event.id}` }),
};
const PAYMENT = 'PAYMENT';
const WITHDRAWN_BEFORE_RESERVED = 'WITHDRAWN_BEFORE_RESERVED';

/** Payments, the markers of orders withdrawn before they were reserved, and the outbox, in one table. */
export class DynamoDbPaymentsRepository implements PaymentsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createPending(payment: Payment) {
    const created = await this.putUnlessStored({ ...keys.payment(payment.orderId), entityType: PAYMENT, ...payment });
    if (created) return { created: true as const };
    const existing = await this.find(payment.orderId);
    if (existing === undefined) throw new Error(`The payment of order ${payment.orderId} was refused as existing but is not there`);
    return { created: false as const, existing };
  }

  async find(orderId: string): Promise<StoredPayment | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.payment(orderId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return Item.entityType === WITHDRAWN_BEFORE_RESERVED ? 'withdrawn-before-reserved' : toPayment(Item);
  }

  markWithdrawnBeforeReserved(orderId: string, at: string): Promise<boolean> {
    return this.putUnlessStored({ ...keys.payment(orderId), entityType: WITHDRAWN_BEFORE_RESERVED, orderId, withdrawnAt: at });
  }

  async requestCancel(orderId: string, at: string): Promise<boolean> {
    const requested = await this.updateIf(orderId, {
      UpdateExpression: 'SET cancelRequestedAt = if_not_exists(cancelRequestedAt, :at), updatedAt = :at',
      ConditionExpression: 'entityType = :payment AND #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':at': at, ':payment': PAYMENT, ':pending': 'PENDING' },
    });
    return requested !== undefined;
  }

  async countChargeAttempt(orderId: string, at: string): Promise<Payment | undefined> {
    const counted = await this.updateIf(orderId, {
      UpdateExpression: 'SET attempts = attempts + :one, updatedAt = :at',
      ConditionExpression: 'entityType = :payment AND #status = :pending AND attribute_not_exists(cancelRequestedAt)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':one': 1, ':at': at, ':payment': PAYMENT, ':pending': 'PENDING' },
      ReturnValues: 'ALL_NEW',
    });
    return counted ? toPayment(counted) : undefined;
  }

  async recordPaymentIntent(orderId: string, providerReference: string, at: string): Promise<Payment | undefined> {
    const recorded = await this.updateIf(orderId, {
      UpdateExpression: 'SET providerReference = :reference, updatedAt = :at',
      // The same intent again (a retry whose create was replayed) is fine; another one never replaces it.
      ConditionExpression:
        'entityType = :payment AND #status = :pending AND (attribute_not_exists(providerReference) OR providerReference = :reference)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':reference': providerReference, ':at': at, ':payment': PAYMENT, ':pending': 'PENDING' },
      ReturnValues: 'ALL_NEW',
    });
    return recorded ? toPayment(recorded) : undefined;
  }

  async settle({ payment, event }: Settlement, expected: { from: PaymentStatus; notCancelled?: boolean }): Promise<boolean> {
    const { sets, values } = settledFields(payment);
    const condition = `#status = :from${expected.notCancelled ? ' AND attribute_not_exists(cancelRequestedAt)' : ''}`;
    try {
      await retryTransactionConflicts(() =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: keys.payment(payment.orderId),
                  UpdateExpression: `SET ${sets.join(', ')}`,
                  ConditionExpression: condition,
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ...values, ':from': expected.from },
                },
              },
              { Put: { TableName: this.tableName, Item: outboxItem(keys.outboxEvent(payment.orderId, event), event) } },
            ],
          }),
        ),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error, 0)) return false;
      throw error;
    }
  }

  private async putUnlessStored(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** A conditional update of the order's payment: its new attributes, or undefined when the condition did not hold. */
  private async updateIf(
    orderId: string,
    update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: keys.payment(orderId), ...update }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      throw error;
    }
  }
}

/** What settling writes: the status and what explains it. */
function settledFields(payment: Payment) {
  const fields = {
    status: payment.status,
    updatedAt: payment.updatedAt,
    providerReference: payment.providerReference,
    refundReference: payment.refundReference,
    failureReason: payment.failureReason,
    failureDetail: payment.failureDetail,
  };
  const present = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    // `status` is a reserved word; the condition's #status names it for the SET too.
    sets: present.map(([name]) => (name === 'status' ? '#status = :status' : `${name} = :${name}`)),
    values: Object.fromEntries(present.map(([name, value]) => [`:${name}`, value])),
  };
}

function toPayment(item: Record<string, unknown>): Payment {
  const { PK: _pk, SK: _sk, entityType: _type, ...payment } = item;
  return payment as unknown as Payment;
}
