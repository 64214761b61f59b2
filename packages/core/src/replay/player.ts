/**
 * Plays a recording through a runtime: frames through their source's decoder (the same code as live),
 * liquidations straight into the rules, paced at the recorded speed, N times faster, or at once.
 * The rules run on the recording's clock, timers included: a cooldown that ends or a cascade update
 * that falls due between two recorded entries fires at its recorded time, before the later entry, so
 * windows, updates, cooldowns and dedupe behave as they did live at every speed. After the last entry
 * the timers still pending (final folds and updates) fire at their times on that clock, without waiting.
 * Summary rules run on that clock from the recording's first entry: a period that ends (plus the settle
 * time) within the recording is summarised at its recorded time; the one under way at the end is not.
 *
 * A source's frames decode with the reference data the recording holds for it (its `reference` lines,
 * handed to `prepare(data)`: no network), or, in a recording without one, with what `prepare()` loads.
 * The runtime should be built with `refreshOnUnknownInstrument: false` (a replay never refreshes) and
 * `logDroppedFrames: false`: the report names every dropped frame by line instead ({@link describeDrops}).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { UsageError } from '../errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { VirtualTimers } from '../rules/timers.js';
import { sleep } from '../util/backoff.js';
import { DropTally, type DroppedFrames } from './drops.js';
import { entryTime, parseRecordingLine, type FrameRecord, type RecordingEntry, type ReferenceRecord } from './recording.js';

/** Playback speed: a factor (1 = as recorded) or `max` (no waiting). */
export type ReplaySpeed = number | 'max';

/** Parse `--speed`: a positive number or `max`. */
export function parseSpeed(text: string): ReplaySpeed {
  if (text === 'max') return 'max';
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0) throw new UsageError(`--speed must be a positive number or "max", not "${text}".`);
  return speed;
}

/** What a replay went through. */
export interface ReplayReport {
  /** Lines read. */
  lines: number;
  /** Raw frames handed to their source's decoder. */
  frames: number;
  /** Liquidations that reached the rules: decoded from frames and recorded as such. */
  liquidations: number;
  /** Lines skipped as unreadable. */
  badLines: number;
  /** Frames their decoder could not read. */
  malformed: number;
  /** Frames of instruments the reference data does not list (not priced). */
  unknownInstrument: number;
  /** Which frames were dropped and why, with line numbers ({@link describeDrops} words it). */
  dropped: DroppedFrames;
}

/**
 * The recording's clock: the time of the entry being played, or of the timer firing. Rules read it
 * through `now` and run their timers on it ({@link VirtualTimers}).
 */
export class RecordingClock extends VirtualTimers {}

export interface PlayOptions {
  file: string;
  runtime: Runtime;
  clock: RecordingClock;
  speed: ReplaySpeed;
  logger: Logger;
  signal?: AbortSignal;
}

export async function playRecording(options: PlayOptions): Promise<ReplayReport> {
  const { runtime, clock, speed, logger } = options;
  const report: ReplayReport = { lines: 0, frames: 0, liquidations: 0, badLines: 0, malformed: 0, unknownInstrument: 0, dropped: new DropTally().drops };
  const drops = new DropTally();
  runtime.rules.useScheduler(clock);
  const receivedBefore = runtime.rules.stats().received;
  /** Sources prepared so far; true for those prepared with reference data from the recording. */
  const prepared = new Map<string, boolean>();
  let started = false;
  /** Move the recording's clock to `time`, firing the timers due on the way, each at its own pace. */
  const playUntil = async (time: number): Promise<void> => {
    if (speed !== 'max' && started) {
      for (let due = clock.nextDue(); due !== undefined && due <= time; due = clock.nextDue()) {
        await pause(due);
        clock.advanceTo(due);
      }
      await pause(time);
    }
    clock.advanceTo(time);
    // Summary periods are counted from the recording's first time, not from the clock's zero.
    if (!started) runtime.rules.start();
    started = true;
  };
  const pause = async (time: number): Promise<void> => {
    if (speed !== 'max' && time > clock.current && !options.signal?.aborted) await sleep((time - clock.current) / speed, options.signal);
  };

  const lines = createInterface({ input: createReadStream(options.file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (options.signal?.aborted) break;
    report.lines++;
    let entries: RecordingEntry[];
    try {
      entries = parseRecordingLine(line);
    } catch (error) {
      report.badLines++;
      logger.warn(`${options.file}:${report.lines}: skipped: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const entry of entries) {
      await playUntil(entryTime(entry));
      if (entry.type === 'liquidation') {
        runtime.ingest(entry.event);
        continue;
      }
      const source = sourceOf(entry, report.lines);
      if (entry.type === 'reference') {
        // The first, or a later one (a refresh during the recording): the frames after it decode with it.
        prepared.set(entry.source, true);
        await source.prepare(entry.data).catch((error: unknown) => logger.warn({ err: error }, `${options.file}:${report.lines}: source "${entry.source}" refused the recorded reference data`));
        continue;
      }
      if (!prepared.has(entry.source)) {
        prepared.set(entry.source, false);
        await source.prepare().catch((error: unknown) => logger.warn({ err: error }, `source "${entry.source}" could not load reference data; decoding with fallbacks`));
      }
      report.frames++;
      const drop = source.handleFrame(entry);
      if (drop) drops.add(drop, report.lines, entry.source, prepared.get(entry.source) === true);
    }
  }
  // The recording ended: what the rules still hold (a cooldown's fold, a cascade's update) leaves at
  // the time it would have live. A replay stopped by a signal leaves that to the runtime's stop.
  // Summaries stop with the recording: a period it does not cover to its end is not summarised.
  runtime.rules.stopSummaries();
  if (!options.signal?.aborted) clock.runAll();
  report.liquidations = runtime.rules.stats().received - receivedBefore;
  report.malformed = drops.malformed;
  report.unknownInstrument = drops.unknownInstrument;
  report.dropped = drops.drops;
  return report;

  function sourceOf(entry: FrameRecord | ReferenceRecord, line: number) {
    const source = runtime.source(entry.source);
    if (source) return source;
    throw new UsageError(`${options.file}:${line}: the recording has ${entry.type}s of source "${entry.source}", which the config does not define.`, {
      hint: `Add it under sources, e.g. \`${entry.source}: { use: ${entry.use} }\`.`,
    });
  }
}
