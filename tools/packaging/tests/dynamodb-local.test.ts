import { DYNAMODB_LOCAL_JVM_OPTIONS, dynamoDbLocalArguments } from '../src/dynamodb-local.ts';

describe('the java command line of DynamoDB Local', () => {
  const jar = { dir: '/lib/dynamodb_local', jar: '/lib/dynamodb_local/DynamoDBLocal.jar' };

  it('keeps one database for every client in the data folder', () => {
    expect(dynamoDbLocalArguments(jar, { port: 4001, dataDir: '/state/dynamodb' })).toEqual([
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Djava.library.path=/lib/dynamodb_local/DynamoDBLocal_lib',
      '-jar',
      '/lib/dynamodb_local/DynamoDBLocal.jar',
      '-port',
      '4001',
      '-sharedDb',
      '-dbPath',
      '/state/dynamodb',
    ]);
  });

  it('runs the JVM the same way in memory, as the tests run it, so what the tests measure is what npm start runs', () => {
    const args = dynamoDbLocalArguments(jar, { port: 4001, inMemory: true });

    expect(args.slice(0, DYNAMODB_LOCAL_JVM_OPTIONS.length)).toEqual([...DYNAMODB_LOCAL_JVM_OPTIONS]);
  });

  it('keeps it in memory when asked to', () => {
    const args = dynamoDbLocalArguments(jar, { port: 4001, dataDir: '/state/dynamodb', inMemory: true });

    expect(args.slice(-2)).toEqual(['-sharedDb', '-inMemory']);
    expect(args).not.toContain('-dbPath');
  });
});
