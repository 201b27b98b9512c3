import { ConflictError, DomainError, NotFoundError, ValidationError } from '../src';

class OutOfStockError extends ConflictError {
  override readonly name: string = 'OutOfStockError';
}

describe('domain errors', () => {
  it('names each error with the name its class declares, so logs say what happened', () => {
    const error = new OutOfStockError('SKU-1 has 0 left');

    expect(error.name).toBe('OutOfStockError');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe('conflict');
  });

  it('names a kind of error that a subclass leaves unnamed after the kind', () => {
    class UnnamedConflict extends ConflictError {}

    expect(new UnnamedConflict('taken').name).toBe('ConflictError');
  });

  it('keeps the cause it was given', () => {
    const cause = new Error('condition failed');

    const error = new NotFoundError('no such order', { cause });

    expect(error.cause).toBe(cause);
  });

  it('carries validation issues for the client', () => {
    const error = new ValidationError('bad body', [{ path: 'body.lines', message: 'must not be empty' }]);

    expect(error.kind).toBe('invalid');
    expect(error.issues).toEqual([{ path: 'body.lines', message: 'must not be empty' }]);
  });
});
