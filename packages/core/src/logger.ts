/**
 * Logging: pino, pretty on a terminal and JSON otherwise, always to stderr (stdout belongs to the
 * console sink). Every line passes through the redactor last, so no secret can reach the log.
 */
import { createRequire } from 'node:module';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import type * as PinoPrettyModule from 'pino-pretty';
import { escapeUnsafeJson } from './format/sanitize.js';
import type { Redactor } from './util/redactor.js';

export type { Logger } from 'pino';

/** Log levels accepted by `--log-level` and `log.level`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Pretty output. @default true when stderr is a terminal */
  pretty?: boolean;
  /** Secrets to redact. */
  redactor?: Redactor;
  /** Where lines go. @default process.stderr */
  destination?: NodeJS.WritableStream;
}

/**
 * pino-pretty, loaded only for a terminal: a service logs JSON, and loading it anyway cost every
 * run a few MB of memory at start (docs/performance.md).
 */
function prettyStream(): typeof PinoPrettyModule.PinoPretty {
  return (createRequire(import.meta.url)('pino-pretty') as typeof PinoPrettyModule).PinoPretty;
}

/** A JSON log line with its unsafe characters escaped; the newline that ends it stays a newline. */
function safeLine(line: string): string {
  return line.endsWith('\n') ? `${escapeUnsafeJson(line.slice(0, -1))}\n` : escapeUnsafeJson(line);
}

/** The root logger of a liqmon process; components take `logger.child({ component })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const pretty = options.pretty ?? Boolean((destination as { isTTY?: boolean }).isTTY);
  const redactor = options.redactor;
  const stream = pretty
    ? prettyStream()({ destination, colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : destination;
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      hooks: { streamWrite: redactor ? (line) => safeLine(redactor.redact(line)) : safeLine },
    },
    stream,
  );
}
