/**
 * Query parameters of the API, each checked: a wrong one is a 400 whose message names the parameter,
 * the value and what is accepted. Unknown parameters are refused too (a typo such as `minusd` would
 * otherwise be silently ignored and the answer look right).
 */
import { parseAmount, parseDuration, STATS_GROUP_KEYS, type StatsGroupKey } from '@liqmon/core';
import type { LiquidationFilter } from './filter.js';

/** A parameter that cannot be used: answered with 400 and this message. */
export class BadParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadParameterError';
  }
}

/** Largest `limit` of a list. */
export const MAX_LIMIT = 1_000;
/** Most steps one `GET /api/series` answers (two days of minutes). */
export const MAX_SERIES_POINTS = 2_880;

const NAME_RE = /^[A-Za-z0-9._-]{1,32}$/;

/** Reads the parameters of one request; each getter checks its own. */
export class Params {
  readonly #query: URLSearchParams;
  readonly #now: number;

  /** @throws BadParameterError naming any parameter not in `known`, or given twice. */
  constructor(query: URLSearchParams, known: readonly string[], now: number) {
    this.#query = query;
    this.#now = now;
    const seen = new Set<string>();
    for (const key of query.keys()) {
      if (!known.includes(key)) throw new BadParameterError(`unknown parameter "${cut(key)}"; this endpoint takes ${known.join(', ') || 'none'}`);
      if (seen.has(key)) throw new BadParameterError(`"${key}" is given twice; give it once (lists are comma-separated: exchange=binance,bybit)`);
      seen.add(key);
    }
  }

  #get(name: string): string | undefined {
    const value = this.#query.get(name);
    return value === null || value === '' ? undefined : value;
  }

  /**
   * A point in time: a duration back from now (`24h`, `90m`), ms since epoch, or an ISO 8601 time
   * (`2026-12-04T10:00:00Z`).
   */
  time(name: string, fallback: number): number {
    const text = this.#get(name);
    if (text === undefined) return fallback;
    const ago = parseDuration(text);
    if (ago !== undefined) return this.#now - ago;
    if (/^\d{1,15}$/.test(text)) return Number(text);
    const parsed = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
    if (!Number.isNaN(parsed)) return parsed;
    throw new BadParameterError(`${name}=${cut(text)} is not a time: give a duration back from now (24h, 90m), ms since epoch, or an ISO time (2026-12-04T10:00:00Z)`);
  }

  /** `since` and `until`, checked to be in order. */
  period(defaultSinceMs: number): { since: number; until: number } {
    const until = this.time('until', this.#now);
    const since = this.time('since', until - defaultSinceMs);
    if (since >= until) throw new BadParameterError(`since must be before until (since=${new Date(since).toISOString()}, until=${new Date(until).toISOString()})`);
    return { since, until };
  }

  /** A whole number from 1 to `max`. */
  limit(fallback: number, max = MAX_LIMIT): number {
    const text = this.#get('limit');
    if (text === undefined) return fallback;
    const value = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= 1 && value <= max)) throw new BadParameterError(`limit=${cut(text)} is not allowed: give a whole number from 1 to ${max}`);
    return value;
  }

  /** The liquidation filter: `exchange`, `base` (comma-separated lists), `side`, `minUsd`. */
  filter(): LiquidationFilter {
    const filter: LiquidationFilter = {};
    const exchange = this.#list('exchange');
    if (exchange) filter.exchange = exchange.map((e) => e.toLowerCase());
    const base = this.#list('base');
    if (base) filter.base = base.map((b) => b.toUpperCase());
    const side = this.#get('side');
    if (side !== undefined) {
      if (side !== 'long' && side !== 'short') throw new BadParameterError(`side=${cut(side)} is not a side: give long or short`);
      filter.side = side;
    }
    const minUsd = this.#get('minUsd');
    if (minUsd !== undefined) {
      const value = parseAmount(minUsd);
      if (value === undefined || !Number.isFinite(value)) throw new BadParameterError(`minUsd=${cut(minUsd)} is not an amount: give USD such as 50000, 50k or 1.5M`);
      filter.minUsd = value;
    }
    return filter;
  }

  /** `by` of the statistics. */
  by(fallback: StatsGroupKey): StatsGroupKey {
    const text = this.#get('by');
    if (text === undefined) return fallback;
    const key = STATS_GROUP_KEYS.find((k) => k === text);
    if (!key) throw new BadParameterError(`by=${cut(text)} is not a grouping: give one of ${STATS_GROUP_KEYS.join(', ')}`);
    return key;
  }

  /** A duration of at least `min` ms (`step=1m`). */
  duration(name: string, fallback: number, min: number, max: number): number {
    const text = this.#get(name);
    if (text === undefined) return fallback;
    const value = parseDuration(text);
    if (value === undefined || value < min || value > max) throw new BadParameterError(`${name}=${cut(text)} is not allowed: give a duration from ${min / 1000}s to ${max / 60_000}m (1m, 5m)`);
    return value;
  }

  #list(name: string): string[] | undefined {
    const text = this.#get(name);
    if (text === undefined) return undefined;
    const items = text.split(',').map((item) => item.trim()).filter(Boolean);
    const bad = items.find((item) => !NAME_RE.test(item));
    if (bad !== undefined || items.length > 50) throw new BadParameterError(`${name}=${cut(text)} is not a list of names: give names of letters, digits, '.', '_' or '-', comma-separated (at most 50)`);
    return items;
  }
}

/** Echo at most 40 characters of what was sent. */
function cut(text: string): string {
  const safe = text.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > 40 ? `${safe.slice(0, 40)}…` : safe;
}
