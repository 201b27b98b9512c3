import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { requiredEnv } from '@storefront/lambda-runtime';
import type { ReportWorkflow } from '../domain/ports';

/** The daily report state machine: one execution per build, named by the build. */
export class StepFunctionsReportWorkflow implements ReportWorkflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: { trigger: 'request'; date: string; correlationId: string }): Promise<void> {
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
    } catch (error) {
      // The same build started before (a retried request): it runs, or ran, once.
      if ((error as { name?: unknown }).name !== 'ExecutionAlreadyExists') throw error;
    }
  }
}

/** The state machine named by DAILY_REPORT_STATE_MACHINE_ARN, through one client per sandbox. */
export const reportWorkflowFromEnvironment = (): StepFunctionsReportWorkflow =>
  new StepFunctionsReportWorkflow(new SFNClient({}), requiredEnv('DAILY_REPORT_STATE_MACHINE_ARN'));
