/**
 * The CLI's logger: core's JSON logger (redacted, to stderr), pretty on a terminal. pino-pretty is a
 * dependency of the CLI only, so a plugin that depends on `@liqmon/core` does not install it.
 */
import { createRequire } from 'node:module';
import type { Logger } from '@liqmon/core';
import { createLogger, type LoggerOptions } from '@liqmon/core/runtime';
import type * as PinoPrettyModule from 'pino-pretty';

/** Options of {@link createCliLogger}. */
export interface CliLoggerOptions extends LoggerOptions {
  /** Pretty output. @default true when the destination (stderr) is a terminal */
  pretty?: boolean;
}

/**
 * pino-pretty, loaded only for a terminal: a service logs JSON, and loading it anyway cost every
 * run a few MB of memory at start (docs/performance.md).
 */
function prettyStream(): typeof PinoPrettyModule.PinoPretty {
  return (createRequire(import.meta.url)('pino-pretty') as typeof PinoPrettyModule).PinoPretty;
}

/** The root logger of a `liqmon` command. */
export function createCliLogger(options: CliLoggerOptions = {}): Logger {
  const { pretty: wanted, destination = process.stderr, ...rest } = options;
  const pretty = wanted ?? Boolean((destination as { isTTY?: boolean }).isTTY);
  const stream = pretty
    ? prettyStream()({ destination, colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : destination;
  return createLogger({ ...rest, destination: stream });
}
