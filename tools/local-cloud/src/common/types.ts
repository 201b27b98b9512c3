/** Shapes the parts of the local stack hand each other. */
import type { ComposeService, DescribedTemplate } from '#packaging';

/** What a function answered: `ok` is false when it threw or did not answer; `payload` is its result or error. */
export interface Invocation {
  ok: boolean;
  payload?: unknown;
}

export interface InvokeOptions {
  /** Called when the function starts running: after the wait for a free slot of its local concurrency, if any. */
  onStart?: () => void;
}

export type Invoke = (
  functionName: string,
  event: { Records?: unknown[] } & Record<string, unknown>,
  options?: InvokeOptions,
) => Promise<Invocation>;

export type Log = (line: string) => void;

/** A service and its packaged template, resolved for the local account. */
export interface DescribedService {
  service: ComposeService;
  template: DescribedTemplate;
}

/** An AWS::Lambda::EventSourceMapping's properties, resolved. */
export interface EventSourceMapping {
  EventSourceArn: string;
  FunctionName: string;
  Enabled?: boolean;
  BatchSize?: number | string;
  StartingPosition?: string;
  MaximumRetryAttempts?: number | string;
  BisectBatchOnFunctionError?: boolean;
  FunctionResponseTypes?: string[];
  FilterCriteria?: FilterCriteria;
  ScalingConfig?: { MaximumConcurrency?: number | string };
  DestinationConfig?: { OnFailure?: { Destination?: string } };
}

export interface FilterCriteria {
  Filters?: { Pattern: string | Record<string, unknown> }[];
}

/** Where an emulator listens and keeps its data (on disk under the state folder unless `inMemory`). */
export interface EmulatorOptions {
  port: number;
  dataDir: string;
  inMemory?: boolean;
}
