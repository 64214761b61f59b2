/**
 * The built-in `console` sink: prints alerts on stdout (logs go to stderr, so `liqmon start | jq` works).
 * `format: json` prints one JSON object per alert per line with `rule`, `kind` and `events`, for scripts
 * and tests; `format: pretty` prints the formatter's plain-text rendering; `format: auto` (the default)
 * is `pretty` when stdout is a terminal and `json` otherwise (a pipe, a file, a service's journal).
 * Exchange text never reaches the terminal as control characters: the formatter sanitises the pretty
 * text, and JSON lines write such characters as `\uXXXX` escapes (docs/security.md).
 */
import { z } from 'zod';
import type { Alert } from '../alert.js';
import { DeliveryError } from '../errors.js';
import { escapeUnsafeJson } from '../format/sanitize.js';
import { defineSink, type SinkContext, type SinkInstance } from '../plugin.js';

const options = z.object({
  /**
   * `auto`: `pretty` on a terminal, `json` otherwise; `pretty`: readable text always; `json`: one JSON
   * object per alert per line always. @default 'auto'
   */
  format: z
    .enum(['auto', 'pretty', 'json'])
    .default('auto')
    .meta({ description: 'auto: pretty on a terminal, json otherwise; pretty: readable text; json: one JSON object per alert per line' }),
});

/** Options of the console sink. */
export type ConsoleOptions = z.output<typeof options>;

/** Where the console sink writes: stdout, or a stand-in in tests. */
export interface ConsoleOutput {
  /** True when a person is looking at it (a terminal). */
  readonly isTTY?: boolean;
  write(text: string, callback: (error?: Error | null) => void): unknown;
}

/**
 * One JSON line per alert: the alert as rules produced it (rule, kind, events, and kind-specific
 * fields). Control, bidi and zero-width characters in its strings are written as `\uXXXX` escapes, so
 * the parsed value is unchanged and the line is safe to show on a terminal.
 */
export function alertToJsonLine(alert: Alert): string {
  return escapeUnsafeJson(JSON.stringify(alert));
}

/** Most waiting alerts written at once with `format: json`. */
const JSON_LINES_PER_WRITE = 100;

/** The console sink instance, writing to `output` (stdout by default). No I/O until alerts come. */
export function createConsoleSink(opts: ConsoleOptions, context: SinkContext, output: ConsoleOutput = process.stdout): SinkInstance<string> {
  // Decided once: a terminal does not turn into a pipe while liqmon runs.
  const json = opts.format === 'json' || (opts.format === 'auto' && output.isTTY !== true);
  return {
    // Pretty: each alert is its own message, as merged text would read differently. JSON: alerts that
    // wait are written together, one line each, so the output is the same bytes but a burst costs one
    // write per batch instead of one per alert (the writes were most of liqmon's CPU in a burst).
    limits: { maxAlertsPerMessage: json ? JSON_LINES_PER_WRITE : 1 },
    render(alerts: readonly Alert[]): string {
      return json ? alerts.map(alertToJsonLine).join('\n') : context.formatter.plain(alerts);
    },
    preview: (message) => message,
    send(message: string): Promise<void> {
      return new Promise((resolve, reject) => {
        output.write(`${message}\n`, (error) => {
          if (!error) return resolve();
          // stdout closed by its reader (`liqmon start | head`): nothing printed later would be seen.
          reject(new DeliveryError('fatal', `standard output is closed (${(error as NodeJS.ErrnoException).code ?? error.message})`, { cause: error }));
        });
      });
    },
  };
}

export const consoleSink = defineSink({
  name: 'console',
  description: 'Prints alerts on standard output',
  options,
  create: (opts, context) => createConsoleSink(opts, context),
});
