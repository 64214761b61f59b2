/**
 * Plays a recording through a runtime: frames through their source's decoder (the same code as live),
 * liquidations straight into the rules, paced at the recorded speed, N times faster, or at once.
 * The rules run on the recording's clock, timers included: a cooldown that ends or a cascade update
 * that falls due between two recorded entries fires at its recorded time, before the later entry, so
 * windows, updates, cooldowns and dedupe behave as they did live at every speed. After the last entry
 * the timers still pending (final folds and updates) fire at their times on that clock, without waiting.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { UsageError } from '../errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { VirtualTimers } from '../rules/timers.js';
import { sleep } from '../util/backoff.js';
import { entryTime, parseRecordingLine, type RecordingEntry } from './recording.js';

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
  const report: ReplayReport = { lines: 0, frames: 0, liquidations: 0, badLines: 0 };
  runtime.rules.useScheduler(clock);
  const receivedBefore = runtime.rules.stats().received;
  const prepared = new Set<string>();
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
    started = true;
    clock.advanceTo(time);
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
      const source = runtime.source(entry.source);
      if (!source) {
        throw new UsageError(`${options.file}:${report.lines}: the recording has frames of source "${entry.source}", which the config does not define.`, {
          hint: `Add it under sources, e.g. \`${entry.source}: { use: ${entry.use} }\`.`,
        });
      }
      if (!prepared.has(entry.source)) {
        prepared.add(entry.source);
        await source.prepare().catch((error: unknown) => logger.warn({ err: error }, `source "${entry.source}" could not load reference data; decoding with fallbacks`));
      }
      report.frames++;
      source.handleFrame(entry);
    }
  }
  // The recording ended: what the rules still hold (a cooldown's fold, a cascade's update) leaves at
  // the time it would have live. A replay stopped by a signal leaves that to the runtime's stop.
  if (!options.signal?.aborted) clock.runAll();
  report.liquidations = runtime.rules.stats().received - receivedBefore;
  return report;
}
