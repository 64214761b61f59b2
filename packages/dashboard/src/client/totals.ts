/**
 * Running totals of the last hour and the last 24 hours, by exchange and by side. The store's
 * statistics up to `base.until` (refreshed every minute) plus the live liquidations since, kept per
 * minute so that memory stays bounded and old minutes leave the window. Without the store, the live
 * part alone: the totals since the page opened.
 */
import type { LiquidationView } from '../shapes.js';
import { el, percent, usd } from './format.js';
import type { LiquidationStatsView } from './stats.js';

const MINUTE = 60_000;
const PERIODS = { '1h': 3_600_000, '24h': 86_400_000 } as const;
type Period = keyof typeof PERIODS;

interface Tally {
  count: number;
  usd: number;
}

/** Per key (`side:long`, `exchange:binance`). */
type Tallies = Map<string, Tally>;

export class Totals {
  readonly #tables: Record<Period, HTMLTableElement>;
  readonly #base: Record<Period, Tallies> = { '1h': new Map(), '24h': new Map() };
  /** Live minutes from the base's end on: minute start -> tallies. */
  readonly #minutes = new Map<number, Tallies>();
  #liveSince: number;

  constructor(tables: Record<Period, HTMLTableElement>, now: number) {
    this.#tables = tables;
    this.#liveSince = now;
  }

  /** Replace the stored part of the totals (statistics up to `until`, a minute boundary). */
  setBase(period: Period, stats: LiquidationStatsView): void {
    const tallies: Tallies = new Map();
    tallies.set('all', { count: stats.count, usd: stats.totalUsd });
    for (const side of ['long', 'short'] as const) tallies.set(`side:${side}`, { count: stats.sides[side].count, usd: stats.sides[side].totalUsd });
    for (const group of stats.groups) tallies.set(`exchange:${group.key}`, { count: group.count, usd: group.totalUsd });
    this.#base[period] = tallies;
    this.#liveSince = stats.until;
    for (const minute of this.#minutes.keys()) if (minute < stats.until) this.#minutes.delete(minute);
  }

  /** Liquidations that arrived. */
  add(batch: readonly LiquidationView[]): void {
    for (const event of batch) {
      if (event.time < this.#liveSince) continue; // already in the stored part
      const minute = Math.floor(event.time / MINUTE) * MINUTE;
      let tallies = this.#minutes.get(minute);
      if (!tallies) this.#minutes.set(minute, (tallies = new Map()));
      for (const key of ['all', `side:${event.side}`, `exchange:${event.exchange}`]) bump(tallies, key, 1, event.notionalUsd);
    }
  }

  /** Redraw both tables (once a second is enough). */
  render(now: number): void {
    for (const minute of this.#minutes.keys()) if (minute < now - PERIODS['24h'] - MINUTE) this.#minutes.delete(minute);
    for (const period of Object.keys(PERIODS) as Period[]) {
      const tallies: Tallies = new Map();
      for (const [key, tally] of this.#base[period]) bump(tallies, key, tally.count, tally.usd);
      for (const [minute, live] of this.#minutes) {
        if (minute < now - PERIODS[period]) continue;
        for (const [key, tally] of live) bump(tallies, key, tally.count, tally.usd);
      }
      draw(this.#tables[period], tallies);
    }
  }
}

function bump(tallies: Tallies, key: string, count: number, amount: number): void {
  const tally = tallies.get(key);
  if (tally) {
    tally.count += count;
    tally.usd += amount;
  } else tallies.set(key, { count, usd: amount });
}

function draw(table: HTMLTableElement, tallies: Tallies): void {
  const all = tallies.get('all') ?? { count: 0, usd: 0 };
  const rows: HTMLTableRowElement[] = [line('all', all, all.usd, '')];
  for (const side of ['long', 'short'] as const) rows.push(line(`${side}s`, tallies.get(`side:${side}`) ?? { count: 0, usd: 0 }, all.usd, side));
  const exchanges = [...tallies].filter(([key]) => key.startsWith('exchange:')).sort((a, b) => b[1].usd - a[1].usd);
  for (const [key, tally] of exchanges) rows.push(line(key.slice('exchange:'.length), tally, all.usd, ''));
  (table.tBodies[0] ?? table.createTBody()).replaceChildren(...rows);
}

function line(label: string, tally: Tally, total: number, className: string): HTMLTableRowElement {
  const tr = el('tr', undefined, className);
  tr.append(el('td', label), el('td', usd(tally.usd), 'num'), el('td', percent(tally.usd, total), 'num muted'), el('td', `${tally.count}`, 'num muted'));
  return tr;
}
