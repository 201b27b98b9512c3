/** The region and credentials every local client uses; the emulators accept any credentials. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The last part of an ARN: a queue's, function's or topic's name. */
export const nameFromArn = (arn: unknown): string => String(arn).split(':').at(-1) as string;
