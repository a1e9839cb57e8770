import { readFileSync } from 'node:fs';
import { ArgumentError } from '../args';

/** Whether an error is the user's (exit 2): an ArgumentError, or `util.parseArgs`' own. */
export function isUsageError(error: unknown): boolean {
  return (
    error instanceof ArgumentError ||
    String((error as { code?: unknown } | null)?.code ?? '').startsWith('ERR_PARSE_ARGS')
  );
}

/** Ends a command-line tool with `error: <message>` on stderr and exit code 2 (a usage error). */
export function usageError(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

/**
 * For a command-line tool: every error that reaches the top ends the process with one line,
 * `error: <first line of the message>` — exit 2 for a usage error ({@link isUsageError}), 1 for a
 * failure — and its stack only when `verbose` (a `--verbose` flag). Installs the handlers of
 * uncaught exceptions and unhandled rejections; returns the function they call.
 */
export function exitOnError(options: { verbose?: boolean } = {}): (error: unknown) => never {
  const exit = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      options.verbose && error instanceof Error ? error.stack : `error: ${message.split('\n')[0]}`,
    );
    process.exit(isUsageError(error) ? 2 : 1);
  };
  process.on('uncaughtException', exit);
  process.on('unhandledRejection', exit);
  return exit;
}

/**
 * A flag's value as a positive number (an integer unless `integer: false`), `fallback` when the
 * flag is absent; anything else ends the tool with `error: --name must be a positive integer, got …`.
 */
export function positiveFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  integer = true,
): number {
  if (value == null) return fallback;
  const n = Number(value);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    usageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  return n;
}

/** A flag's value among `choices` (`fallback` when absent); anything else ends the tool with a usage error. */
export function choiceFlag<const T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value == null) return fallback;
  if (!choices.includes(value as T))
    usageError(`--${name} must be ${choices.join(', ')}; got ${value}`);
  return value as T;
}

/**
 * `--config FILE`: a run's `config.json` (the resolved options a run report saved), to repeat
 * that run exactly. Flags in `given` (those on the command line) other than `allowed` would
 * change the run and end the tool with a usage error, as does a file that is not a JSON object.
 */
export function configFlag(
  path: string,
  given: readonly string[],
  allowed: readonly string[],
): Record<string, unknown> {
  const other = given.filter((f) => f !== 'config' && !allowed.includes(f));
  if (other.length)
    usageError(
      `--config repeats a run as it was: ${other.map((f) => `--${f}`).join(', ')} cannot go with it (only ${allowed.map((f) => `--${f}`).join(', ')})`,
    );
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    usageError(`--config ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    usageError(`--config ${path}: not a JSON object of options`);
  return value as Record<string, unknown>;
}
