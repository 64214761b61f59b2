// @ts-check
/**
 * A toy liqmon sink: appends each message to a file. A sink does two things: `render` turns one or
 * more alerts into one message (with core's formatter, so the wording is the user's `format:` config),
 * and `send` delivers one message. Core's outbox does the rest: queueing, merging alerts that waited,
 * retries with backoff, digests on overflow. `send` tells the outbox what went wrong by throwing a
 * DeliveryError: 'retryable' (try again later), 'fatal' (stop this sink), or 'rejected' (skip it).
 */
import { appendFile } from 'node:fs/promises';
import { DeliveryError, defineSink, z } from '@liqmon/core';

export default defineSink({
  name: 'toy-file',
  description: 'Appends rendered alerts to a file (an example for plugin authors)',
  options: z.object({
    /** File to append to. */
    path: z.string().min(1),
  }),
  create(options, context) {
    return {
      limits: { maxAlertsPerMessage: 5 },
      render(alerts) {
        return context.formatter.plain(alerts);
      },
      async send(message) {
        try {
          await appendFile(options.path, `${message}\n---\n`);
        } catch (error) {
          // A full disk may recover; a missing folder will not without a config change.
          const code = /** @type {NodeJS.ErrnoException} */ (error).code;
          throw new DeliveryError(code === 'ENOENT' ? 'fatal' : 'retryable', `cannot write ${options.path}: ${String(error)}`, {
            hint: code === 'ENOENT' ? 'Create the folder or fix `path`.' : undefined,
            cause: error,
          });
        }
      },
    };
  },
});
