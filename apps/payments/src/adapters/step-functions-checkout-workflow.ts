import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { CheckoutInput } from '@storefront/contracts';
import type { CheckoutWorkflow } from '../domain/ports';

/** Step Functions' rule for execution names: 1-80 of these characters. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The checkout state machine, one execution per order named by its id. A
 * standard workflow keeps a name for 90 days: starting it again is refused
 * (ExecutionAlreadyExists), or, while it runs with the same input, answered
 * with the same execution; either way nothing runs twice.
 */
export class StepFunctionsCheckoutWorkflow implements CheckoutWorkflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: CheckoutInput): Promise<'started' | 'already-started'> {
    if (!EXECUTION_NAME.test(input.orderId)) throw new Error(`Order id ${JSON.stringify(input.orderId)} cannot name an execution`);
    try {
      await this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: input.orderId, input: JSON.stringify(input) }),
      );
      return 'started';
    } catch (error) {
      if ((error as { name?: unknown }).name === 'ExecutionAlreadyExists') return 'already-started';
      throw error;
    }
  }
}
