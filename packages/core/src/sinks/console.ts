/**
 * The built-in `console` sink: prints alerts on stdout (logs go to stderr, so `liqmon start | jq` works).
 * `format: json` prints one JSON object per alert per line with `rule`, `kind` and `events`, for scripts
 * and tests; `format: pretty` prints the formatter's plain-text rendering.
 */
import { z } from 'zod';
import type { Alert } from '../alert.js';
import { DeliveryError } from '../errors.js';
import { defineSink } from '../plugin.js';

const options = z.object({
  /** `pretty`: human-readable text; `json`: one JSON object per alert per line. @default 'pretty' */
  format: z.enum(['pretty', 'json']).default('pretty').meta({ description: 'pretty: readable text; json: one JSON object per alert per line' }),
});

/** One JSON line per alert: the alert as rules produced it (rule, kind, events, and kind-specific fields). */
export function alertToJsonLine(alert: Alert): string {
  return JSON.stringify(alert);
}

/** Most waiting alerts written at once with `format: json`. */
const JSON_LINES_PER_WRITE = 100;

export const consoleSink = defineSink({
  name: 'console',
  description: 'Prints alerts on standard output',
  options,
  create(opts, context) {
    return {
      // Pretty: each alert is its own message, as merged text would read differently. JSON: alerts that
      // wait are written together, one line each, so the output is the same bytes but a burst costs one
      // write per batch instead of one per alert (the writes were most of liqmon's CPU in a burst).
      limits: { maxAlertsPerMessage: opts.format === 'json' ? JSON_LINES_PER_WRITE : 1 },
      render(alerts: readonly Alert[]): string {
        return opts.format === 'json' ? alerts.map(alertToJsonLine).join('\n') : context.formatter.plain(alerts);
      },
      send(message: string): Promise<void> {
        return new Promise((resolve, reject) => {
          process.stdout.write(`${message}\n`, (error) => {
            if (!error) return resolve();
            // stdout closed by its reader (`liqmon start | head`): nothing printed later would be seen.
            reject(new DeliveryError('fatal', `standard output is closed (${(error as NodeJS.ErrnoException).code ?? error.message})`, { cause: error }));
          });
        });
      },
    };
  },
});
