/**
 * `liqmon replay FILE`: run a recording through the config's rules. Each sink prints what it would
 * have sent (the console sink prints as usual); `--send` really sends.
 */
import { access } from 'node:fs/promises';
import { UsageError } from '@liqmon/core';
import { describeDrops, EXAMPLE_FRAME_LINE, parseSpeed, playRecording, RecordingClock, Runtime, sampleRecording } from '@liqmon/core/runtime';
import { printInsteadOfSending } from '../dry-run.js';
import { openSession } from '../session.js';
import { onShutdownSignal } from '../signals.js';

export async function replayCommand(
  file: string,
  opts: { config?: string; logLevel?: string; speed: string; send?: boolean; raw?: boolean },
): Promise<number> {
  const speed = parseSpeed(opts.speed);
  if (opts.raw && opts.send) throw new UsageError('--raw changes what replay prints, and with --send nothing is printed.', { hint: 'Leave out one of them.' });
  await access(file).catch(() => {
    throw new UsageError(`Recording ${file} cannot be read.`, { hint: 'Give the path of an NDJSON file written by `liqmon record`.' });
  });
  const sample = await sampleRecording(file);
  if (sample.checked > 0 && sample.readable === 0) throw notARecording(file, sample.checked, sample.firstProblem);
  const { config, logger, redactor } = await openSession(opts);
  if (sample.checked === 0) logger.warn(`${file} is empty: nothing to replay`);
  const preview = { raw: opts.raw === true };
  const clock = new RecordingClock();
  const runtime = new Runtime({
    config,
    logger,
    redactor,
    now: clock.now,
    // A replay decodes with the recording's reference data and never goes to the network for more; its
    // summary names every dropped frame by line, so the sources do not log them a line a second.
    refreshOnUnknownInstrument: false,
    logDroppedFrames: false,
    wrapSink: opts.send ? undefined : (entry, instance) => printInsteadOfSending(entry, instance, preview),
  });
  const abort = new AbortController();
  const removeSignals = onShutdownSignal({ first: () => abort.abort(), second: () => process.exit(1) });
  try {
    const report = await playRecording({ file, runtime, clock, speed, logger, signal: abort.signal });
    const drained = await runtime.stop();
    const skipped = report.badLines === 0 ? '' : `; ${report.badLines} unreadable line${report.badLines === 1 ? '' : 's'} skipped`;
    const dropped = [
      report.malformed > 0 ? `${report.malformed} malformed` : '',
      report.unknownInstrument > 0 ? `${report.unknownInstrument} of unknown instruments` : '',
      report.dropped.oversized.count > 0 ? `${report.dropped.oversized.count} oversized` : '',
    ].filter(Boolean);
    const drops = dropped.length === 0 ? '' : `; frames dropped: ${dropped.join(', ')}`;
    logger.info({ ...report, delivery: drained }, `replayed ${report.lines} lines: ${report.frames} frames, ${report.liquidations} liquidations${drops}${skipped}`);
    for (const sentence of describeDrops(report.dropped)) logger.warn(sentence);
    return 0;
  } finally {
    removeSignals();
  }
}

/** The error for a file whose first lines are none of them recording entries (exit 2). */
function notARecording(file: string, checked: number, problem: { line: number; reason: string } | undefined): UsageError {
  const which = checked === 1 ? 'its only line is not a recording entry' : `none of its first ${checked} lines is a recording entry`;
  return new UsageError(
    `${file} is not a liqmon recording: ${which}${problem ? ` (line ${problem.line}: ${problem.reason})` : ''}.\n` +
      `A recording has one JSON object per line, as \`liqmon record\` writes them:\n  ${EXAMPLE_FRAME_LINE}\n` +
      'or normalized liquidations, {"type":"liquidation","event":{...}} (docs/recording-format.md). ' +
      'Raw exchange frames need the envelope: they are replayed through the source named in it.',
    { hint: 'Make a recording with `liqmon record -o rec.ndjson --duration 10m`, then run `liqmon replay rec.ndjson`.' },
  );
}
