/**
 * `liqmon record`: write every raw frame the config's sources receive to NDJSON (see
 * docs/recording-format.md), until Ctrl-C or `--duration`. Frames are not decoded: a recording keeps
 * what the exchange sent, so that later decoder fixes apply to it on replay.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseDuration } from '../../config/units.js';
import { UsageError } from '../../errors.js';
import { frameLine } from '../../replay/recording.js';
import { SourceRunner } from '../../runtime/source-runner.js';
import { sleep } from '../../util/backoff.js';
import { openSession } from '../session.js';
import { onShutdownSignal } from '../signals.js';

export async function recordCommand(opts: { config?: string; logLevel?: string; output?: string; duration?: string }): Promise<number> {
  const durationMs = opts.duration === undefined ? undefined : parseDuration(opts.duration);
  if (opts.duration !== undefined && durationMs === undefined) {
    throw new UsageError(`--duration "${opts.duration}" is not a duration.`, { hint: 'Write it with a unit: 30s, 10m, 1h.' });
  }
  const { config, logger, redactor } = await openSession(opts);
  const out = opts.output ? createWriteStream(opts.output, { flags: 'a' }) : process.stdout;
  let frames = 0;
  const runners = config.sources
    .filter((entry) => !entry.disabledReason)
    .map(
      (entry) =>
        new SourceRunner({
          entry,
          logger: logger.child({ source: entry.name }),
          redactor,
          decode: false,
          onFrame: (frame) => {
            frames++;
            out.write(`${frameLine(frame, entry.name, entry.use)}\n`);
          },
        }),
    );
  if (runners.length === 0) throw new UsageError('The config has no enabled sources to record.');

  const stop = new AbortController();
  const removeSignals = onShutdownSignal({ first: () => stop.abort(), second: () => process.exit(1) });
  try {
    await Promise.all(runners.map((r) => r.start()));
    logger.info(`recording ${runners.map((r) => r.name).join(', ')} to ${opts.output ?? 'standard output'}`);
    await (durationMs === undefined ? aborted(stop.signal) : sleep(durationMs, stop.signal));
  } finally {
    removeSignals();
    for (const runner of runners.reverse()) await runner.stop();
    if (out !== process.stdout) {
      out.end();
      await finished(out);
    }
    logger.info(`recorded ${frames} frames`);
  }
  return 0;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
