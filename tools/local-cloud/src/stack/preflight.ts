import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { StackError } from '#packaging';

/** DynamoDB Local is a Java program: find Java 17+ or say how to get it. */
export function checkJava(): number {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new StackError(
      'Java was not found on PATH (DynamoDB Local runs on it)',
      'install Java 17 or newer, e.g. `apt-get install openjdk-17-jre-headless`, then run npm start again',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major && major < 17)
    throw new StackError(`Java ${major} is on PATH, DynamoDB Local needs 17 or newer`, 'install Java 17+ and put it first on PATH');
  return major;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Every port the stack will listen on must be free; name the first busy one and what to do. */
export async function checkPorts(ports: Record<string, number>): Promise<void> {
  for (const [purpose, port] of Object.entries(ports)) {
    if (!(await isFree(port))) {
      throw new StackError(
        `port ${port} (${purpose}) is already in use`,
        `stop what listens there (\`ss -ltnp 'sport = :${port}'\` shows it) or start on other ports with \`npm start -- --base-port <port>\``,
      );
    }
  }
}
