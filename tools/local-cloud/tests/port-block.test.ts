import { onFreePortBlock, randomBasePort } from '../src/stack/port-block.ts';

const taken = (port: number) => new Error(`port ${port + 10} (platform http) is already in use`);

describe('starting a stack on a free block of ports', () => {
  it('trades a block found taken for another', async () => {
    // Prepare
    const tried: number[] = [];
    const boot = async (basePort: number) => {
      tried.push(basePort);
      if (tried.length < 3) throw taken(basePort);
      return `stack on ${basePort}`;
    };

    // Act
    const stack = await onFreePortBlock(boot);

    // Assert
    expect(tried).toHaveLength(3);
    expect(stack).toBe(`stack on ${tried[2]}`);
  });

  it('gives up after five taken blocks, with the last reason', async () => {
    // Prepare
    let attempts = 0;
    const boot = async (basePort: number) => {
      attempts++;
      throw taken(basePort);
    };

    // Act
    const started = onFreePortBlock(boot);

    // Assert
    await expect(started).rejects.toThrow('is already in use');
    expect(attempts).toBe(5);
  });

  it('does not retry a failure that is not a taken port', async () => {
    // Prepare
    let attempts = 0;
    const boot = async () => {
      attempts++;
      throw new Error('Java is not installed');
    };

    // Act
    const started = onFreePortBlock(boot);

    // Assert
    await expect(started).rejects.toThrow('Java is not installed');
    expect(attempts).toBe(1);
  });

  it('picks bases below the ephemeral range, with room for a block above each', () => {
    // Act
    const bases = Array.from({ length: 200 }, randomBasePort);

    // Assert
    expect(bases.every((base) => base >= 20_000 && base + 49 < 32_768 && base % 50 === 0)).toBe(true);
  });
});
