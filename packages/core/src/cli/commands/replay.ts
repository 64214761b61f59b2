/**
 * `liqmon replay FILE`: run a recording through the config's rules. Each sink prints what it would
 * have sent (the console sink prints as usual); `--send` really sends.
 */
import { access } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { playRecording, parseSpeed, RecordingClock } from '../../replay/player.js';
import { Runtime } from '../../runtime/runtime.js';
import { printInsteadOfSending } from '../dry-run.js';
import { openSession } from '../session.js';
import { onShutdownSignal } from '../signals.js';

export async function replayCommand(
  file: string,
  opts: { config?: string; logLevel?: string; speed: string; send?: boolean },
): Promise<number> {
  const speed = parseSpeed(opts.speed);
  await access(file).catch(() => {
    throw new UsageError(`Recording ${file} cannot be read.`, { hint: 'Give the path of an NDJSON file written by `liqmon record`.' });
  });
  const { config, logger, redactor } = await openSession(opts);
  const clock = new RecordingClock();
  const runtime = new Runtime({
    config,
    logger,
    redactor,
    now: clock.now,
    wrapSink: opts.send ? undefined : (entry, instance) => printInsteadOfSending(entry, instance),
  });
  const abort = new AbortController();
  const removeSignals = onShutdownSignal({ first: () => abort.abort(), second: () => process.exit(1) });
  try {
    const report = await playRecording({ file, runtime, clock, speed, logger, signal: abort.signal });
    const drained = await runtime.stop();
    logger.info({ ...report, delivery: drained }, `replayed ${report.lines} lines: ${report.frames} frames, ${report.liquidations} liquidations`);
    return 0;
  } finally {
    removeSignals();
  }
}
