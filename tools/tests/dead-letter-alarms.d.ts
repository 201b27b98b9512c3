declare module '@storefront/serverless-dead-letter-alarms' {
  export default class DeadLetterAlarms {
    constructor(serverless: unknown);
    hooks: Record<string, () => void>;
  }
}
