/**
 * What the local stack is made of, derived the same way by everything that
 * talks to it (`npm start`, `npm run dlq`): each component's port, and each
 * service's packaged template as it resolves on this machine.
 */
import { LOCAL_REGION } from '../common/aws-local.ts';
import { type ComposeService, describeTemplate, packagedTemplate, type ResolvedResource, serviceName } from '#packaging';
import { STAGE } from './offline.ts';
import type { DescribedService } from '../common/types.ts';

/** A resource of one of the described services, tagged with its service's name. */
export type ServiceResource = ResolvedResource & { service: string };

export function portsFor(basePort: number, services: Pick<ComposeService, 'name'>[]): Record<string, number> {
  const ports: Record<string, number> = {
    gateway: basePort,
    'DynamoDB Local': basePort + 1,
    'SNS/SQS/S3 emulator': basePort + 2,
    'Step Functions': basePort + 3,
    'Secrets Manager': basePort + 4,
    'payment provider': basePort + 5,
    // +6 is left for another component; schedules (fire one now: npm run schedule) take +7.
    schedules: basePort + 7,
  };
  services.forEach((service, i) => {
    ports[`${service.name} http`] = basePort + 10 + 2 * i;
    ports[`${service.name} lambda`] = basePort + 11 + 2 * i;
  });
  return ports;
}

/** Where a local cloud on `basePort` answers: the gateway (the base URL) and each emulator, as clients reach them. */
export interface LocalCloudEndpoints {
  dynamodb: string;
  messaging: string;
  stepFunctions: string;
  secretsManager: string;
  /** The local payment provider (Stripe's API subset; GET /_local/ledger, POST /_local/faults). */
  paymentProvider: string;
  /** Fire a schedule now (`npm run schedule`). */
  schedules: string;
}

export const baseUrlFor = (basePort: number): string => `http://localhost:${basePort}`;

export function endpointsFor(basePort: number): LocalCloudEndpoints {
  const ports = portsFor(basePort, []);
  const at = (component: string) => `http://127.0.0.1:${ports[component]}`;
  return {
    dynamodb: at('DynamoDB Local'),
    messaging: at('SNS/SQS/S3 emulator'),
    stepFunctions: at('Step Functions'),
    secretsManager: at('Secrets Manager'),
    paymentProvider: at('payment provider'),
    schedules: at('schedules'),
  };
}

/** Each service with its packaged template, its intrinsic functions resolved for the local account. */
export function describeServices(services: ComposeService[], { apiEndpoint }: { apiEndpoint?: string }): DescribedService[] {
  return services.map((service) => ({
    service,
    template: describeTemplate(packagedTemplate(service) ?? {}, {
      stackName: `${serviceName(service)}-${STAGE}`,
      region: LOCAL_REGION,
      apiEndpoint,
    }),
  }));
}

/** Every resource of a type across the described services, each tagged with its service's name. */
export const resourcesOf = (described: DescribedService[], type: string): ServiceResource[] =>
  described.flatMap(({ service, template }) =>
    template.resources.filter((r) => r.type === type).map((r) => ({ ...r, service: service.name })),
  );

/** Each function's environment variables (by function name) as its packaged template resolves them for the local account. */
export function functionEnvironmentsOf({ template }: DescribedService): Record<string, Record<string, string>> {
  return Object.fromEntries(
    template.resources.filter((r) => r.type === 'AWS::Lambda::Function').map((f) => [f.name, f.properties.Environment?.Variables ?? {}]),
  );
}
