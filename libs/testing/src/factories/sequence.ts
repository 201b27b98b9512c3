let counter = 0;

/** A value no earlier call returned, as message, event and record ids are in real traffic. */
export const uniqueId = (prefix: string) => `${prefix}-${++counter}`;

/** Where the factories' events come from: the region and account the local stack and packaging use. */
export const TEST_REGION = 'us-east-1';
export const TEST_ACCOUNT = '000000000000';

/** When the factories' events happen, unless a test says otherwise. */
export const TEST_TIME = '2026-03-01T10:00:00.000Z';
