import { createServer, type Server } from 'node:net';
import { freePort } from '@storefront/testing';
import { eventually, request } from '../../support/http';
import { bootLocalStack, isAlive, startExpectingFailure } from '../../support/local-stack';
import { mintToken } from '../../support/tokens';

describe('starting and stopping the local stack', () => {
  it('leaves no process behind after kill -9, and starts again on the same state without cleanup', async () => {
    const first = await bootLocalStack();
    const placed = await request(first.baseUrl, 'POST', '/orders', {
      body: { customerId: 'survivor', currency: 'EUR', paymentMethod: 'pm_card_visa', lines: [{ sku: 'SKU-1', quantity: 1 }] },
      as: { customer: 'survivor' },
    });
    const children = first.processIds();
    expect(children.length).toBeGreaterThan(0);

    first.child.kill('SIGKILL');
    await first.stop({ keepState: true });
    await eventually(async () => (children.every((pid) => !isAlive(pid)) ? true : undefined), { what: 'every child process to exit' });

    const second = await bootLocalStack({ basePort: first.basePort, stateDir: first.stateDir, fresh: false });
    try {
      // The second stack signs with a key of its own, made at its boot: the first stack's tokens mean nothing to it.
      const token = await mintToken(second.baseUrl, { customer: 'survivor' });
      const kept = await request(second.baseUrl, 'GET', `/orders/${placed.body.orderId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(kept.status).toBe(200);
    } finally {
      const secondChildren = second.processIds();
      await second.stop();
      expect(secondChildren.filter(isAlive)).toEqual([]);
    }
  }, 180_000);

  it('names a busy port and how to fix it, in one line', async () => {
    const basePort = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(basePort, '127.0.0.1', resolve));
    try {
      const { code, output } = await startExpectingFailure(basePort);

      expect(code).toBe(1);
      expect(output).toContain(`port ${basePort} (gateway) is already in use. Fix:`);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('says Java is missing and how to install it, in one line', async () => {
    const { code, output } = await startExpectingFailure(await freePort(), { ...process.env, PATH: '/nonexistent' });

    expect(code).toBe(1);
    expect(output).toContain('Java was not found on PATH');
    expect(output).toContain('apt-get install openjdk-17-jre-headless');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
