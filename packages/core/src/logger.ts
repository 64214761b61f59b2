/**
 * Logging: pino JSON lines, to stderr by default (stdout belongs to the console sink). Every line passes
 * through the redactor last, so no secret can reach the log. Pretty output for a terminal is the CLI's
 * (package `liqmon`): it hands a pino-pretty stream in as `destination`, so core does not depend on it.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { escapeUnsafeJson } from './format/sanitize.js';
import type { Redactor } from './util/redactor.js';

export type { Logger } from 'pino';

/** Log levels accepted by `--log-level` and `log.level`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: LevelWithSilent;
  /** Secrets to redact. */
  redactor?: Redactor;
  /** Where lines go (a pino-pretty stream for a terminal, say). @default process.stderr */
  destination?: NodeJS.WritableStream;
}

/** A JSON log line with its unsafe characters escaped; the newline that ends it stays a newline. */
function safeLine(line: string): string {
  return line.endsWith('\n') ? `${escapeUnsafeJson(line.slice(0, -1))}\n` : escapeUnsafeJson(line);
}

/** The root logger of a liqmon process; components take `logger.child({ component })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redactor = options.redactor;
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      hooks: { streamWrite: redactor ? (line) => safeLine(redactor.redact(line)) : safeLine },
    },
    options.destination ?? process.stderr,
  );
}
