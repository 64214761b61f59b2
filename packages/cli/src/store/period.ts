/**
 * The period of `liqmon stats`, `export` and `replay --from-db`: `--since` and `--until` take a
 * duration (`24h`, `7d`, `90m`) or a UTC date or time (`2026-12-01`, `2026-12-01T08:00`,
 * `2026-12-01T08:00:00+01:00`); a time without a zone is UTC. A duration in `--until` counts back from
 * now, one in `--since` from the end of the period (`--until`, or now).
 */
import { parseDuration, UsageError } from '@liqmon/core';

/** A period, ms since the epoch: `since` inclusive, `until` exclusive. */
export interface Period {
  since: number;
  until: number;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** One bound: `text` as a duration back from `now`, or a date/time. */
export function parseTimeBound(text: string, option: string, now: number): number {
  const ago = parseDuration(text.trim());
  if (ago !== undefined) return now - ago;
  const trimmed = text.trim();
  if (ISO_RE.test(trimmed)) {
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) || !/[T ]/i.test(trimmed) ? trimmed : `${trimmed}Z`;
    // A date alone (2026-12-01) is midnight UTC in Date.parse already.
    const time = Date.parse(zoned.replace(' ', 'T'));
    if (Number.isFinite(time)) return time;
  }
  throw new UsageError(`${option} "${text}" is neither a duration nor a date.`, {
    hint: `Write a duration back from now (${option} 24h, 7d, 90m) or a UTC date or time (${option} 2026-12-01, 2026-12-01T08:00).`,
  });
}

/** The period from `--since` (default `24h`) and `--until` (default now). */
export function parsePeriod(options: { since?: string; until?: string }, now = Date.now()): Period {
  const until = options.until === undefined ? now : parseTimeBound(options.until, '--until', now);
  // A duration in --since counts back from the end of the period: `--since 24h --until 2026-12-04` is that day before.
  const since = parseTimeBound(options.since ?? '24h', '--since', until);
  if (!(since < until)) throw new UsageError(`The period is empty: --since (${new Date(since).toISOString()}) is not before --until (${new Date(until).toISOString()}).`);
  return { since, until };
}
