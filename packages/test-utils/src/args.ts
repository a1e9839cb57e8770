import { expect } from 'vitest';

/** The error `call` throws (or rejects with), failing the test when there is none. */
async function caught(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw an ArgumentError, but it returned');
}

function check(error: Error, fn: string, arg: string | undefined, tail: RegExp | undefined): void {
  expect(error.name, error.message).toBe('ArgumentError');
  expect(
    error.message.startsWith(`${fn}: `),
    `"${error.message}" should start with "${fn}: "`,
  ).toBe(true);
  if (arg != null) expect(error.message).toContain(arg);
  if (tail) expect(error.message).toMatch(tail);
}

/**
 * Asserts that `call` throws @gan/core's ArgumentError, its message starting with `fn: `,
 * naming `arg`, and matching `tail`.
 */
export function expectArgError(call: () => unknown, fn: string, arg?: string, tail?: RegExp): void {
  let error: Error | undefined;
  try {
    call();
  } catch (e) {
    error = e as Error;
  }
  expect(error, `${fn}: expected an ArgumentError`).toBeDefined();
  check(error as Error, fn, arg, tail);
}

/** {@link expectArgError} for calls that reject (fit, loaders, extractFeatures). */
export async function expectArgErrorAsync(
  call: () => unknown,
  fn: string,
  arg?: string,
  tail?: RegExp,
): Promise<void> {
  check(await caught(call), fn, arg, tail);
}
