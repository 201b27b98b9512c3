/**
 * Ports for a stack started by a tool (the bench, the cost meter): a stack takes a block of ports above its base
 * (stack-layout.ts), and nothing can reserve a block, so a block found taken by the time the stack binds it is traded
 * for another.
 */

const ATTEMPTS = 5;

/**
 * A base port below Linux's ephemeral range (32768 and up), where an outgoing connection of any process on the
 * machine can take a port at any moment; blocks of 50 apart.
 */
export const randomBasePort = (): number => 20_000 + 50 * Math.floor(Math.random() * 250);

/** What the preflight (and a bind) says of a port another process holds. */
const portTaken = (error: unknown) => error instanceof Error && error.message.includes('already in use');

/** Boots on a random block of ports, and on another when one of the block's ports turns out to be taken. */
export async function onFreePortBlock<T>(boot: (basePort: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boot(randomBasePort());
    } catch (error) {
      if (!portTaken(error) || attempt >= ATTEMPTS) throw error;
    }
  }
}
