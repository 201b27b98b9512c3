// Runs the installed fauxqs with the local stack's adapter listening, for tools/tests/integration/messaging-spy.test.ts.
// It is a worker because fauxqs is an ES module with no require() entry, which Jest's CommonJS sandbox cannot load;
// the test reaches the emulator over HTTP like any AWS client, and hears here what the adapter hands over.
import { parentPort, workerData } from 'node:worker_threads';
import { startMessaging } from '../../src/emulators/messaging/fauxqs.ts';
import { listenToMessages, type SpyMessage } from '../../src/emulators/messaging/messaging-spy.ts';

export type ToWorker = { kind: 'stop-listening' } | { kind: 'recorded'; filter: Record<string, unknown> } | { kind: 'shut-down' };
export type FromWorker =
  | { kind: 'listening'; endpoint: string }
  | { kind: 'failed'; error: string }
  | { kind: 'heard'; message: SpyMessage }
  | { kind: 'stopped-listening' }
  | { kind: 'recorded'; found: boolean };

const port = parentPort;
if (!port) throw new Error('messaging-worker.ts runs as a worker thread');
const send = (message: FromWorker) => port.postMessage(message);

const messaging = await startMessaging({ port: (workerData as { port: number }).port, dataDir: '', inMemory: true });
let stopListening = () => undefined as void;
try {
  stopListening = listenToMessages(messaging.server, (message) => send({ kind: 'heard', message: { ...message } }));
  send({ kind: 'listening', endpoint: messaging.endpoint });
} catch (error) {
  send({ kind: 'failed', error: (error as Error).message });
}

port.on('message', async (request: ToWorker) => {
  if (request.kind === 'stop-listening') {
    stopListening();
    send({ kind: 'stopped-listening' });
  } else if (request.kind === 'recorded') {
    // fauxqs's own spy must still record what the adapter hands over.
    send({ kind: 'recorded', found: messaging.server.spy.checkForMessage(request.filter) !== undefined });
  } else {
    await messaging.server.stop();
    port.close();
  }
});
