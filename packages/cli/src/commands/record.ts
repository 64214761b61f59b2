/**
 * `liqmon record`: write every raw frame the config's sources receive to NDJSON (see
 * docs/recording-format.md), until Ctrl-C or `--duration`. A recording keeps what the exchange sent, so
 * that later decoder fixes apply to it on replay, and each source's reference data (instrument lists,
 * contract sizes) before its first frame and whenever it changes, so that a replay needs no network.
 * Frames are decoded as live (the events go nowhere) so that an unknown instrument refreshes the list.
 *
 * The clock of `--duration` runs from the command's start whatever the sources do: a source that
 * cannot connect keeps retrying in the background and never holds the recording open. The first
 * SIGINT/SIGTERM ends the recording at once and keeps what was written. At the end one line per source
 * gives its frame count and names the sources that never connected; the exit code is 1 when none did.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Logger } from 'pino';
import { parseDuration, UsageError } from '@liqmon/core';
import { frameLine, MAX_DURATION_MS, RecordedReference, sleep, SourceRunner } from '@liqmon/core/runtime';
import { openSession } from '../session.js';
import { onShutdownSignal } from '../signals.js';
import { SourceTally } from '../source-tally.js';

/** How long the sources get to stop once the recording is over; a source stuck in a request is left behind. */
const STOP_GRACE_MS = 2_000;

export async function recordCommand(opts: { config?: string; logLevel?: string; output?: string; duration?: string }): Promise<number> {
  const startedAt = performance.now();
  const durationMs = opts.duration === undefined ? undefined : parseDuration(opts.duration);
  if (opts.duration !== undefined && durationMs === undefined) {
    throw new UsageError(`--duration "${opts.duration}" is not a duration.`, { hint: 'Write it with a unit: 30s, 10m, 1h.' });
  }
  if (durationMs !== undefined && durationMs > MAX_DURATION_MS) {
    throw new UsageError(`--duration "${opts.duration}" is longer than the longest supported, 24d.`, { hint: 'Record for at most 24d, or leave out --duration and stop with Ctrl-C.' });
  }
  const { config, logger, redactor } = await openSession(opts);
  const entries = config.sources.filter((entry) => !entry.disabledReason);
  if (entries.length === 0) throw new UsageError('The config has no enabled sources to record.');

  const out = opts.output ? createWriteStream(opts.output, { flags: 'a' }) : process.stdout;
  const target = opts.output ?? 'standard output';
  let recording = true;
  const runners = entries.map((entry) => {
    // The source's reference data goes before its first frame and again when a refresh changed it, so
    // that a replay decodes offline exactly as this run would have (docs/recording-format.md).
    const reference = new RecordedReference(() => runner.reference(), entry.name, entry.use);
    const runner: SourceRunner = new SourceRunner({
      entry,
      logger: logger.child({ source: entry.name }),
      redactor,
      // Frames are decoded (and the events dropped) as live: an unknown instrument refreshes the list.
      onRefreshed: () => reference.refreshed(),
      onFrame: (frame) => {
        // Frames that arrive while the sources stop would be written after the end of the file.
        if (!recording) return;
        tally.frame(entry.name);
        const line = reference.lineBefore(frame.receivedAt);
        if (line !== undefined) out.write(`${line}\n`);
        out.write(`${frameLine(frame, entry.name, entry.use)}\n`);
      },
    });
    return runner;
  });
  const tally = new SourceTally(runners, (name) => logger.info(`${name} connected: recording its frames`));

  const stop = new AbortController();
  const removeSignals = onShutdownSignal({
    first: (reason) => {
      if (reason !== 'EPIPE') logger.info(`${reason} received: ending the recording (send it again to exit at once)`);
      stop.abort();
    },
    second: () => process.exit(1),
  });
  const forHow = durationMs === undefined ? 'until Ctrl-C' : `for ${opts.duration}`;
  logger.info(`recording ${runners.map((r) => r.name).join(', ')} to ${target} ${forHow}`);
  try {
    // Not awaited: a source that cannot connect retries in the background until the recording ends.
    for (const runner of runners) void runner.start();
    tally.watch();
    const remaining = durationMs === undefined ? undefined : Math.max(0, durationMs - (performance.now() - startedAt));
    await (remaining === undefined ? aborted(stop.signal) : sleep(remaining, stop.signal));
  } finally {
    recording = false;
    tally.unwatch();
    removeSignals();
    await stopAll(runners);
    if (out !== process.stdout) {
      out.end();
      await finished(out);
    }
  }
  return report(tally, target, performance.now() - startedAt, logger);
}

/** Log the per-source lines and the verdict; returns the exit code. */
function report(tally: SourceTally, target: string, elapsedMs: number, logger: Logger): number {
  for (const { name, frames, connected } of tally.summary()) {
    if (connected) logger.info(`${name}: ${frames} frame${frames === 1 ? '' : 's'}`);
    else logger.warn(`${name}: ${frames} frames: never connected`);
  }
  logger.info(`recorded ${tally.total} frame${tally.total === 1 ? '' : 's'} to ${target} in ${(elapsedMs / 1000).toFixed(1)}s`);
  if (tally.anyConnected) return 0;
  logger.error("no source connected, so nothing was recorded: check the network and the sources' URLs (the warnings above say what failed)");
  return 1;
}

/** Stop every source at once, waiting at most STOP_GRACE_MS. */
async function stopAll(runners: readonly SourceRunner[]): Promise<void> {
  const grace = new AbortController();
  await Promise.race([Promise.all(runners.map((r) => r.stop())), sleep(STOP_GRACE_MS, grace.signal)]);
  grace.abort();
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
