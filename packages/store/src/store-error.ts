/** Store failures as core's {@link StoreError}, for the main thread's callers (open, the CLI). */
import { StoreError } from '@liqmon/core';
import { describeFailure, type StoreFailure } from './failure.js';

/**
 * The {@link StoreError} for `error`, which happened while `doing` (`open`, `write to`, ...) with `file`.
 * A StoreError passes through unchanged.
 */
export function storeFailure(error: unknown, file: string, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  return storeError(file, describeFailure(error, file, doing), error);
}

/** The {@link StoreError} of a described failure (one the writer thread reported). */
export function storeError(file: string, failure: StoreFailure, cause?: unknown): StoreError {
  return new StoreError(failure.reason, file, failure.message, failure.hint, cause);
}
