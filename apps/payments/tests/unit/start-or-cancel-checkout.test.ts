import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  aLambdaContext,
  anOrderCancelled,
  anOrderPlaced,
  anOrderReserved,
  anSqsEvent,
  anSqsRecord,
  anSqsRecordFromTopic,
} from '@storefront/testing';
import { aStoredPayment, PROVIDER_ENVIRONMENT } from '../support/stored-payments';

const dynamo = mockClient(DynamoDBDocumentClient);
const stepFunctions = mockClient(SFNClient);
const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:storefront-test-checkout';
let handler: typeof import('../../src/handlers/start-or-cancel-checkout').handler;
const context = aLambdaContext({ functionName: 'startOrCancelCheckout' });

beforeAll(async () => {
  Object.assign(process.env, PROVIDER_ENVIRONMENT, { CHECKOUT_STATE_MACHINE_ARN: STATE_MACHINE });
  handler = (await import('../../src/handlers/start-or-cancel-checkout')).handler;
});

beforeEach(() => {
  dynamo.reset();
  stepFunctions.reset();
});

const reserved = () => anOrderReserved({ correlationId: 'corr-5', data: { orderId: 'o-1', amount: 2500, currency: 'EUR' } });
const exists = () => new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });

describe('startOrCancelCheckout', () => {
  it('records the payment of a reserved order PENDING and starts the execution named by the order', async () => {
    dynamo.on(PutCommand).resolves({});
    stepFunctions.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:o-1`, startDate: new Date() });

    const response = await handler(anSqsEvent(anSqsRecordFromTopic(reserved())), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'payments-test',
      Item: { PK: 'PAYMENT#o-1', SK: 'PAYMENT', status: 'PENDING', amount: reserved().data.amount, currency: 'EUR', attempts: 0 },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(stepFunctions.commandCalls(StartExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { stateMachineArn: STATE_MACHINE, name: 'o-1', input: JSON.stringify({ orderId: 'o-1', correlationId: 'corr-5' }) },
    ]);
  });

  it('takes a redelivered OrderReserved as done: the execution exists, so nothing runs twice', async () => {
    dynamo.on(PutCommand).rejects(exists());
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment({ attempts: 1 }) });
    stepFunctions.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

    const response = await handler(anSqsEvent(anSqsRecordFromTopic(reserved())), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(stepFunctions.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name)).toEqual(['o-1']);
  });

  it('asks a payment under way to stop when its order is cancelled', async () => {
    dynamo.on(GetCommand).resolves({ Item: aStoredPayment() });
    dynamo.on(UpdateCommand).resolves({ Attributes: {} });

    const response = await handler(
      anSqsEvent(anSqsRecordFromTopic(anOrderCancelled({ data: { orderId: 'o-1', previousStatus: 'RESERVED' } }))),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { PK: 'PAYMENT#o-1', SK: 'PAYMENT' },
      UpdateExpression: 'SET cancelRequestedAt = if_not_exists(cancelRequestedAt, :at), updatedAt = :at',
      ConditionExpression: 'entityType = :payment AND #status = :pending',
    });
    expect(stepFunctions.commandCalls(StartExecutionCommand)).toEqual([]);
  });

  it('fails an OrderPlaced, which it does not consume (nothing is charged before stock is held), and records nothing', async () => {
    const response = await handler(anSqsEvent(anSqsRecordFromTopic(anOrderPlaced(), { messageId: 'm-placed' })), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-placed' }] });
    expect(dynamo.calls()).toHaveLength(0);
    expect(stepFunctions.calls()).toHaveLength(0);
  });

  it('fails only the message it cannot read, for the dead-letter queue', async () => {
    dynamo.on(PutCommand).resolves({});
    stepFunctions.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });

    const response = await handler(anSqsEvent(anSqsRecord('not json', { messageId: 'm-bad' }), anSqsRecordFromTopic(reserved())), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
    expect(stepFunctions.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });
});
