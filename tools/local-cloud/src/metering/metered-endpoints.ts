/** The counting proxies a metered stack puts between the functions and the emulators (see usage-meter.ts). */
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../common/aws-local.ts';
import { startMeteringProxy } from './metering-proxy.ts';
import { resourcesOf } from '../stack/layout.ts';
import type { DescribedService } from '../common/types.ts';
import type { UsageMeter } from './usage-meter.ts';

export interface EmulatorEndpoints {
  dynamodb: string;
  messaging: string;
  secretsManager: string;
}

export async function startMeteredEndpoints(meter: UsageMeter, emulators: EmulatorEndpoints, running: DescribedService[]) {
  const functions = resourcesOf(running, 'AWS::Lambda::Function').map((f) => ({
    service: f.service,
    name: String(f.properties.FunctionName),
  }));
  meter.nameFunctionsWith(
    (service, key) => functions.find((f) => f.service === service && f.name.endsWith(`-${key}`))?.name ?? `${service}/${key}`,
  );
  const [dynamodb, messaging, secretsManager] = await Promise.all([
    startMeteringProxy({ target: emulators.dynamodb, observe: (exchange) => meter.dynamodb(exchange), askConsumedCapacity: true }),
    startMeteringProxy({ target: emulators.messaging, observe: (exchange) => meter.messaging(exchange) }),
    startMeteringProxy({ target: emulators.secretsManager, observe: () => meter.secretsManager() }),
  ]);
  const pollerSqs = new SQSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: messaging.url });
  return {
    endpoints: { dynamodb: dynamodb.url, messaging: messaging.url, secretsManager: secretsManager.url },
    pollerSqs,
    close: async () => {
      pollerSqs.destroy();
      await Promise.all([dynamodb.close(), messaging.close(), secretsManager.close()]);
    },
  };
}
