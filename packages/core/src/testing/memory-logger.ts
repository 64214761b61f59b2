/** A pino logger that keeps its lines in memory, so tests can assert on warnings. */
import { pino, type Logger } from 'pino';

/** One parsed log line. `level` is pino's number (30 info, 40 warn, 50 error). */
export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** A logger at `debug` level whose output is parsed into `lines`. */
export function createMemoryLogger(level: pino.LevelWithSilent = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level, base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}
