/**
 * A period cut where the roll-ups can answer for it: raw rows at the edges (less than a minute each
 * side), minute roll-ups up to the whole hours, hour roll-ups in the middle. Reading a day then takes
 * 24 hour starts, at most 118 minute starts and two partial minutes of raw rows, whatever the rate.
 */
import { HOUR_SPAN, MINUTE_SPAN } from './rollups.js';

/** A piece of a period (`since` inclusive, `until` exclusive), from raw rows or from one span's roll-ups. */
export interface PeriodPart {
  /** `raw`, or the span (ms) of the roll-ups that cover it whole. */
  source: 'raw' | typeof MINUTE_SPAN | typeof HOUR_SPAN;
  since: number;
  until: number;
}

const floorTo = (time: number, span: number) => Math.floor(time / span) * span;
const ceilTo = (time: number, span: number) => Math.ceil(time / span) * span;

/** The parts of `[since, until)`, in time order, covering it exactly; none for an empty period. */
export function periodParts(since: number, until: number): PeriodPart[] {
  if (!(since < until)) return [];
  const firstMinute = ceilTo(since, MINUTE_SPAN);
  const lastMinute = floorTo(until, MINUTE_SPAN);
  if (firstMinute >= lastMinute) return [{ source: 'raw', since, until }];
  const parts: PeriodPart[] = [];
  const add = (source: PeriodPart['source'], from: number, to: number) => {
    if (from < to) parts.push({ source, since: from, until: to });
  };
  add('raw', since, firstMinute);
  const firstHour = ceilTo(firstMinute, HOUR_SPAN);
  const lastHour = floorTo(lastMinute, HOUR_SPAN);
  if (firstHour < lastHour) {
    add(MINUTE_SPAN, firstMinute, firstHour);
    add(HOUR_SPAN, firstHour, lastHour);
    add(MINUTE_SPAN, lastHour, lastMinute);
  } else {
    add(MINUTE_SPAN, firstMinute, lastMinute);
  }
  add('raw', lastMinute, until);
  return parts;
}
