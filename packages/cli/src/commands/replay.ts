/**
 * `liqmon replay FILE`: run a recording through the config's rules. Each sink prints what it would
 * have sent (the console sink prints as usual); `--send` really sends. `liqmon replay --from-db
 * [--since 24h] [--until T]` replays the stored liquidations of a period instead (docs/store.md).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { UsageError } from '@liqmon/core';
import { storedLiquidations } from '@liqmon/store';
import { parsePeriod } from '../store/period.js';
import { openStoreReader } from '../store/reader.js';
import { writeExport } from '../store/write-export.js';
import { describeDrops, EXAMPLE_FRAME_LINE, parseSpeed, playRecording, RecordingClock, Runtime, sampleRecording } from '@liqmon/core/runtime';
import { printInsteadOfSending } from '../dry-run.js';
import { openSession } from '../session.js';
import { onShutdownSignal } from '../signals.js';

export interface ReplayOptions {
  config?: string;
  logLevel?: string;
  speed: string;
  send?: boolean;
  raw?: boolean;
  /** Replay the stored liquidations of `--since`..`--until` instead of a file. */
  fromDb?: boolean;
  since?: string;
  until?: string;
}

export async function replayCommand(file: string | undefined, opts: ReplayOptions): Promise<number> {
  const speed = parseSpeed(opts.speed);
  if (opts.raw && opts.send) throw new UsageError('--raw changes what replay prints, and with --send nothing is printed.', { hint: 'Leave out one of them.' });
  if (opts.fromDb) {
    if (file !== undefined) throw new UsageError(`Give a recording or --from-db, not both (got ${file}).`);
    // The stored events go through a recording file of their own: the same player, and nothing is
    // written back into the store (replay never opens it for writing).
    const stored = await exportStored(opts);
    try {
      return await replayFile(stored.file, opts, speed, stored.describe);
    } finally {
      rmSync(stored.dir, { recursive: true, force: true });
    }
  }
  if (opts.since !== undefined || opts.until !== undefined) throw new UsageError('--since and --until choose the stored period of --from-db; a recording is replayed whole.');
  if (file === undefined) throw new UsageError('Give a recording to replay, or --from-db.', { hint: 'liqmon replay rec.ndjson, or liqmon replay --from-db --since 7d.' });
  return replayFile(file, opts, speed, file);
}

/** The stored liquidations of the period, exported as recording lines to a temp file. */
async function exportStored(opts: ReplayOptions): Promise<{ dir: string; file: string; describe: string }> {
  const period = parsePeriod(opts);
  const { db, file: store } = await openStoreReader(opts.config === undefined ? {} : { configPath: opts.config });
  const dir = mkdtempSync(join(tmpdir(), 'liqmon-replay-'));
  const file = join(dir, 'stored.ndjson');
  try {
    const out = createWriteStream(file);
    const count = await writeExport(storedLiquidations(db, period), 'ndjson', out);
    out.end();
    await finished(out);
    const describe = `${count} stored liquidation${count === 1 ? '' : 's'} from ${new Date(period.since).toISOString()} to ${new Date(period.until).toISOString()} (${store})`;
    return { dir, file, describe };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    db.close();
  }
}

async function replayFile(file: string, opts: ReplayOptions, speed: ReturnType<typeof parseSpeed>, what: string): Promise<number> {
  await access(file).catch(() => {
    throw new UsageError(`Recording ${file} cannot be read.`, { hint: 'Give the path of an NDJSON file written by `liqmon record`.' });
  });
  const sample = await sampleRecording(file);
  if (sample.checked > 0 && sample.readable === 0) throw notARecording(file, sample.checked, sample.firstProblem);
  const { config, logger, redactor } = await openSession(opts);
  if (opts.fromDb) logger.info(`replaying ${what}`);
  if (sample.checked === 0) logger.warn(`${opts.fromDb ? 'no liquidation stored in this period' : `${file} is empty`}: nothing to replay`);
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
