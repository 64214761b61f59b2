/**
 * Plays a recording through a runtime: frames through their source's decoder (the same code as live),
 * liquidations straight into the rules, paced at the recorded speed, N times faster, or at once.
 * The rules run on the recording's clock so that windows and cooldowns behave as they did live.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { UsageError } from '../errors.js';
import type { Runtime } from '../runtime/runtime.js';
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
  lines: number;
  frames: number;
  liquidations: number;
  badLines: number;
}

/** The recording's clock: the time of the entry being played. Rules read it through `now`. */
export class RecordingClock {
  current = 0;
  readonly now = (): number => this.current;
}

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
  const prepared = new Set<string>();
  let previous: number | undefined;
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
      const time = entryTime(entry);
      if (speed !== 'max' && previous !== undefined && time > previous) await sleep((time - previous) / speed, options.signal);
      previous = time;
      clock.current = time;
      if (entry.type === 'liquidation') {
        report.liquidations++;
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
  return report;
}
