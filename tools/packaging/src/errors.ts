/** A failure the user can fix: printed as one line with the cause and the fix, never as a stack. */
export class StackError extends Error {
  readonly fix: string | undefined;

  constructor(message: string, fix?: string) {
    super(message);
    this.name = 'StackError';
    this.fix = fix;
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof StackError) return `${error.message}${error.fix ? `. Fix: ${error.fix}` : ''}`;
  return (error as { message?: string } | undefined)?.message ?? String(error);
}
