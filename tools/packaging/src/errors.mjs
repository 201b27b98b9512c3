/** A failure the user can fix: printed as one line with the cause and the fix, never as a stack. */
export class StackError extends Error {
  constructor(message, fix) {
    super(message);
    this.name = 'StackError';
    this.fix = fix;
  }
}

export function describeFailure(error) {
  if (error instanceof StackError) return `${error.message}${error.fix ? `. Fix: ${error.fix}` : ''}`;
  return error?.message ?? String(error);
}
