import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumedEventTypes, declaredConsumes } from '../event-wiring/consumes.ts';

// The fixture service's consumer declares its event types beside its handler, as every service's consumers do.
const fixture = join(import.meta.dirname, 'integration/fixture');

describe('the event types a consumer declares beside its handler', () => {
  let serviceDir: string;
  const declare = (handler: string, source: string) => writeFileSync(join(serviceDir, `${handler}.consumes.ts`), source);

  beforeEach(() => (serviceDir = mkdtempSync(join(tmpdir(), 'consumes-'))));
  afterEach(() => rmSync(serviceDir, { recursive: true, force: true }));

  it('are read from the module named after the handler’s, in the order declared', async () => {
    await expect(consumedEventTypes(fixture, 'handler.handler')).resolves.toEqual(['OrderPlaced', 'OrderCancelled']);
  });

  it('are required of a consumer: a handler with no declaration beside it is named', async () => {
    await expect(consumedEventTypes(serviceDir, 'src/handlers/notify.handler')).rejects.toThrow(
      'cannot load src/handlers/notify.consumes.ts, where the handler declares the event types it consumes',
    );
  });

  it.each([
    ['no list', "export const consumed = ['OrderPlaced'];"],
    ['an empty list, which would filter nothing out', 'export const consumes = [];'],
    ['a type twice', "export const consumes = ['OrderPlaced', 'OrderPlaced'];"],
    ['a type that is not a name', "export const consumes = ['OrderPlaced', 7];"],
  ])('refuse a declaration with %s', async (_, source) => {
    declare('notify', source);

    await expect(consumedEventTypes(serviceDir, 'notify.handler')).rejects.toThrow(
      'notify.consumes.ts must export `consumes`: the event types its handler consumes, at least one, each once',
    );
  });

  it('are read for the functions a subscription feeds, and only those', async () => {
    const functions = {
      consume: { handler: 'handler.handler', events: [{ subscription: { queue: 'OrderEvents' } }] },
      publish: { handler: 'relay.handler', events: [{ outboxRelay: { table: 'EventsTable' } }] },
      read: { handler: 'read.handler', events: [{ httpApi: { method: 'GET', path: '/' } }] },
    };

    await expect(declaredConsumes(functions, fixture)).resolves.toEqual({ consume: ['OrderPlaced', 'OrderCancelled'] });
  });
});
