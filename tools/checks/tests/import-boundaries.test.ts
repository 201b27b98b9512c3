import { Worker } from 'node:worker_threads';
import { workspaceRoot } from '#packaging';
import type { LintAnswer, LintRequest } from './support/lint-worker.ts';

type Problem = Extract<LintAnswer, { problems: unknown }>['problems'][number];

const NOT_THROUGH_ENTRY_POINT = "A lib's only public door is its src/index.ts";
const ACROSS_PROJECTS_BY_PATH = 'Projects cannot be imported by a relative or absolute path';
const TESTING_OUTSIDE_TESTS = '@storefront/testing starts emulators and reads packaged templates: only tests may import it.';
const TEST_CODE_IN_PRODUCTION = 'Production code never imports test code.';
const DOMAIN_ON_OUTER_LAYER = 'The domain is pure logic: adapters and handlers depend on it';
const DOMAIN_ON_AWS = 'The domain has no AWS';
const DOMAIN_ON_RUNTIME = 'The domain knows nothing of the Lambda runtime';
const DOMAIN_ON_AWS_LIB = 'The domain imports only @storefront/contracts and @storefront/errors';
const DOMAIN_DYNAMIC_IMPORT = 'The domain imports through import declarations only';
const ADAPTER_ON_HANDLER = 'an adapter never imports a handler';
const HANDLER_ON_RUNTIME = 'Handlers are wrapped by @storefront/lambda-runtime';
const NOT_ERASABLE = 'Node only strips types here';

/** A module that imports `source` and uses what it imported, so only boundary rules can object. */
const importing = (source: string) => `import { thing } from '${source}';\nexport const used = thing;\n`;

// One ESLint for every sample, in a worker that lints as `nx lint` does (see support/lint-worker.ts).
const linter = new Worker(new URL('./support/lint-worker.ts', import.meta.url), { workerData: { cwd: workspaceRoot } });
const pending = new Map<number, { resolve: (problems: Problem[]) => void; reject: (error: Error) => void }>();
linter.on('message', (answer: LintAnswer) => {
  const request = pending.get(answer.id);
  pending.delete(answer.id);
  if ('error' in answer) request?.reject(new Error(answer.error));
  else request?.resolve(answer.problems);
});
linter.on('error', (error) => pending.forEach(({ reject }) => reject(error)));
afterAll(() => linter.terminate());

let lastId = 0;
function problemsIn(filePath: string, code: string) {
  const id = ++lastId;
  return new Promise<Problem[]>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const sample: LintRequest = { id, filePath: `${workspaceRoot}/${filePath}`, code };
    linter.postMessage(sample);
  });
}

const onlyProblem = (ruleId: string, message: string) => [{ ruleId, message: expect.stringContaining(message) }];

describe('test-only code', () => {
  it.each([
    ['a handler', 'apps/orders/src/handlers/place-order.ts'],
    ['a domain module', 'apps/inventory/src/domain/reservation.ts'],
    ['an adapter', 'apps/notifications/src/adapters/repository.ts'],
    ["a lib's source", 'libs/outbox/src/outbox-relay.ts'],
  ])('keeps @storefront/testing out of %s', async (_, filePath) => {
    expect(await problemsIn(filePath, importing('@storefront/testing'))).toEqual(
      onlyProblem('no-restricted-imports', TESTING_OUTSIDE_TESTS),
    );
  });

  it('keeps a relative import of a tests folder out of production code', async () => {
    expect(await problemsIn('apps/orders/src/handlers/get-order.ts', importing('../../tests/unit/builders'))).toEqual(
      onlyProblem('no-restricted-imports', TEST_CODE_IN_PRODUCTION),
    );
  });

  it.each([
    'apps/orders/tests/integration/repository.test.ts',
    'libs/outbox/tests/outbox-relay.test.ts',
    'e2e/tests/lifecycle.test.ts',
    'e2e/support/local-stack.ts',
    'tools/local-cloud/tests/integration/provision.test.ts',
  ])('lets %s import @storefront/testing', async (filePath) => {
    expect(await problemsIn(filePath, importing('@storefront/testing'))).toEqual([]);
  });
});

describe('the domain layer', () => {
  const domainFile = 'apps/orders/src/domain/order.ts';

  it.each([
    ['an adapter', '../adapters/wiring', DOMAIN_ON_OUTER_LAYER],
    ['a handler', '../handlers/place-order', DOMAIN_ON_OUTER_LAYER],
    ['an adapter by a longer path', '../../src/adapters/dynamodb-orders-repository', DOMAIN_ON_OUTER_LAYER],
    ['an AWS SDK client', '@aws-sdk/client-dynamodb', DOMAIN_ON_AWS],
    ['the DynamoDB document client', '@aws-sdk/lib-dynamodb', DOMAIN_ON_AWS],
    ['middy', '@middy/core', DOMAIN_ON_RUNTIME],
    ['Powertools', '@aws-lambda-powertools/logger', DOMAIN_ON_RUNTIME],
    ['the Lambda runtime lib', '@storefront/lambda-runtime', DOMAIN_ON_AWS_LIB],
    ['the DynamoDB lib', '@storefront/dynamodb', DOMAIN_ON_AWS_LIB],
    ['the outbox lib', '@storefront/outbox', DOMAIN_ON_AWS_LIB],
  ])('may not import %s', async (_, source, message) => {
    expect(await problemsIn(domainFile, importing(source))).toEqual(onlyProblem('no-restricted-imports', message));
  });

  it('may not import even the types of a Lambda event', async () => {
    const code = "import type { SQSEvent } from 'aws-lambda';\nexport type Batch = SQSEvent;\n";
    expect(await problemsIn(domainFile, code)).toEqual(onlyProblem('no-restricted-imports', DOMAIN_ON_AWS));
  });

  it('may not re-export an adapter', async () => {
    const code = "export { DynamoDbOrdersRepository } from '../adapters/dynamodb-orders-repository';\n";
    expect(await problemsIn(domainFile, code)).toEqual(onlyProblem('no-restricted-imports', DOMAIN_ON_OUTER_LAYER));
  });

  it.each([
    ['load a module', "export const publisher = () => import('@aws-sdk/client-sns');\n"],
    ['name a type', "export type Batch = import('aws-lambda').SQSEvent;\n"],
  ])('may not %s through import()', async (_, code) => {
    expect(await problemsIn(domainFile, code)).toEqual(onlyProblem('no-restricted-syntax', DOMAIN_DYNAMIC_IMPORT));
  });

  it('holds in every service', async () => {
    expect(await problemsIn('apps/notifications/src/domain/notification.ts', importing('@aws-sdk/client-sns'))).toEqual(
      onlyProblem('no-restricted-imports', DOMAIN_ON_AWS),
    );
  });

  it.each(['./errors', '@storefront/contracts', '@storefront/errors', 'node:crypto'])('may import %s', async (source) => {
    expect(await problemsIn(domainFile, importing(source))).toEqual([]);
  });
});

describe('the adapter and handler layers', () => {
  it('keeps handlers out of adapters', async () => {
    expect(await problemsIn('apps/orders/src/adapters/wiring.ts', importing('../handlers/place-order'))).toEqual(
      onlyProblem('no-restricted-imports', ADAPTER_ON_HANDLER),
    );
  });

  it.each(['../domain/ports', '@aws-sdk/client-sns', '@storefront/dynamodb', '@aws-lambda-powertools/logger'])(
    'lets an adapter import %s',
    async (source) => {
      expect(await problemsIn('apps/orders/src/adapters/sns-publisher.ts', importing(source))).toEqual([]);
    },
  );

  it.each(['../adapters/wiring', '../domain/orders-service', '@storefront/lambda-runtime', '@storefront/contracts'])(
    'lets a handler import %s',
    async (source) => {
      expect(await problemsIn('apps/orders/src/handlers/place-order.ts', importing(source))).toEqual([]);
    },
  );

  it.each(['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics', '@middy/core'])(
    'keeps %s out of handlers: the runtime wrappers own logging and metrics',
    async (source) => {
      expect(await problemsIn('apps/inventory/src/handlers/import-catalog.ts', importing(source))).toEqual(
        onlyProblem('no-restricted-imports', HANDLER_ON_RUNTIME),
      );
    },
  );
});

describe('other projects', () => {
  it.each([
    ['a handler', 'apps/orders/src/handlers/get-order.ts', '@storefront/contracts/src/events'],
    ['a test', 'apps/orders/tests/unit/order.test.ts', '@storefront/outbox/src/outbox-relay'],
    ['a lib', 'libs/outbox/src/outbox-relay.ts', '@storefront/dynamodb/src/client'],
  ])('are not reached past their entry point from %s', async (_, filePath, source) => {
    expect(await problemsIn(filePath, importing(source))).toEqual(onlyProblem('no-restricted-imports', NOT_THROUGH_ENTRY_POINT));
  });

  it.each([
    ['an app into a lib', 'apps/orders/src/handlers/get-order.ts', '../../../../libs/contracts/src/index'],
    ['an app into another app', 'apps/orders/src/handlers/get-order.ts', '../../../inventory/src/domain/reservation'],
    ['a lib into another lib', 'libs/outbox/src/outbox-relay.ts', '../../dynamodb/src/client'],
    ['an end-to-end helper into an app', 'e2e/support/local-stack.ts', '../../apps/orders/src/domain/order'],
    ['a test into the testing lib', 'apps/orders/tests/unit/order.test.ts', '../../../../libs/testing/src/index'],
    ['a tool into a lib', 'tools/local-cloud/src/gateway/gateway.ts', '../../../../libs/contracts/src/index.ts'],
  ])('are not reached by a relative path from %s', async (_, filePath, source) => {
    expect(await problemsIn(filePath, importing(source))).toEqual(onlyProblem('@nx/enforce-module-boundaries', ACROSS_PROJECTS_BY_PATH));
  });

  it.each([
    ['an app', 'apps/orders/src/handlers/get-order.ts'],
    ['a lib', 'libs/outbox/src/outbox-relay.ts'],
    ['an end-to-end helper', 'e2e/support/http.ts'],
  ])('are reached through their entry point from %s', async (_, filePath) => {
    expect(await problemsIn(filePath, importing('@storefront/contracts'))).toEqual([]);
  });
});

describe('the Serverless plugins, which Node runs by stripping their types', () => {
  it.each([
    ['an enum', 'export enum Kind {\n  Queue,\n}\n'],
    ['a parameter property', 'export class Plugin {\n  constructor(private readonly serverless: unknown) {}\n}\n'],
  ])('refuse %s', async (_, code) => {
    expect(await problemsIn('libs/serverless-base/event-wiring/index.ts', code)).toEqual(onlyProblem('no-restricted-syntax', NOT_ERASABLE));
  });

  it('accept types that only need erasing', async () => {
    const code = 'interface Plugin {\n  hooks: Record<string, () => void>;\n}\nexport const plugin: Plugin = { hooks: {} };\n';

    expect(await problemsIn('libs/serverless-base/event-wiring/index.ts', code)).toEqual([]);
  });
});

describe("a consumer's event types, which the event-wiring plugin loads as they are", () => {
  const declaration = 'apps/orders/src/handlers/apply-payment-outcome.consumes.ts';
  const consumes = "export const consumes = ['PaymentCaptured'] as const satisfies readonly PaymentEventType[];\n";

  it('accepts a declaration that imports types only', async () => {
    const code = `import type { PaymentEventType } from '@storefront/contracts';\n\n${consumes}`;

    expect(await problemsIn(declaration, code)).toEqual([]);
  });

  it.each([
    ['a value', "import { PaymentEventType } from '@storefront/contracts';\n"],
    ['a type inside a value import', "import { type PaymentEventType } from '@storefront/contracts';\n"],
  ])('refuses %s imported from a module Node would have to load', async (_, imports) => {
    const problems = await problemsIn(declaration, `${imports}\n${consumes}`);

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: 'no-restricted-syntax', message: expect.stringContaining('import types only') }),
      ]),
    );
  });
});

describe('error classes', () => {
  const ERROR_WITHOUT_NAME = "Declare the error's name as a literal";

  it.each(['apps/orders/src/domain/errors.ts', 'apps/payments/src/adapters/stripe-payment-provider.ts', 'libs/errors/src/domain-error.ts'])(
    'must name themselves with a literal in %s, since minifying renames classes',
    async (file) => {
      const code = "export class OrderLostError extends Error {\n  readonly kind = 'lost';\n}\n";
      expect(await problemsIn(file, code)).toEqual(onlyProblem('no-restricted-syntax', ERROR_WITHOUT_NAME));
    },
  );

  it('may leave the name to the subclasses of an abstract one', async () => {
    const code =
      "export abstract class ShopError extends Error {}\nexport class ShelfEmptyError extends ShopError {\n  override readonly name: string = 'ShelfEmptyError';\n}\n";
    expect(await problemsIn('apps/orders/src/domain/errors.ts', code)).toEqual([]);
  });
});
