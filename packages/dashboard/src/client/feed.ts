/**
 * The live feed, newest first. Rows are added once per animation frame for everything that arrived
 * since the last one (one DOM insertion per frame, not per event) and the table never holds more than
 * `FEED_ROWS` rows, so 1,000 liquidations a second keep the page responsive.
 */
import { matchesFilter, type LiquidationFilter } from '../filter.js';
import type { LiquidationView } from '../shapes.js';
import { clock, el, price, usd } from './format.js';

/** Rows shown at most. */
export const FEED_ROWS = 300;
/** Recent liquidations kept (any filter) to redraw the feed when the filter changes. */
const KEPT = 2_000;

const KIND_LABEL: Record<LiquidationView['priceKind'], string> = { fill: 'fill', bankruptcy: 'bankr.', order: 'order' };

export class Feed {
  readonly #body: HTMLTableSectionElement;
  #filter: LiquidationFilter = {};
  /** Newest last. */
  #recent: LiquidationView[] = [];
  readonly #shown = new Set<string>();

  constructor(table: HTMLTableElement) {
    this.#body = table.tBodies[0] ?? table.createTBody();
  }

  /** Liquidations that arrived, oldest first. */
  add(batch: readonly LiquidationView[]): void {
    this.#recent.push(...batch);
    if (this.#recent.length > KEPT * 1.5) this.#recent = this.#recent.slice(-KEPT);
    const rows = document.createDocumentFragment();
    // Only the newest FEED_ROWS of a burst can be visible.
    for (let i = batch.length - 1, added = 0; i >= 0 && added < FEED_ROWS; i--) {
      const event = batch[i]!;
      if (this.#shown.has(event.id) || !matchesFilter(event, this.#filter)) continue;
      rows.append(row(event));
      this.#shown.add(event.id);
      added++;
    }
    this.#body.prepend(rows);
    this.#trim();
  }

  /** Show `events` (from the history, newest first) below what is live. */
  history(events: readonly LiquidationView[]): void {
    const rows = document.createDocumentFragment();
    for (const event of events) {
      if (this.#shown.has(event.id) || !matchesFilter(event, this.#filter)) continue;
      rows.append(row(event));
      this.#shown.add(event.id);
    }
    this.#body.append(rows);
    this.#trim();
  }

  /** Apply a new filter to what is kept. */
  setFilter(filter: LiquidationFilter): void {
    this.#filter = filter;
    this.#body.replaceChildren();
    this.#shown.clear();
    const recent = this.#recent;
    this.#recent = [];
    this.add(recent);
  }

  #trim(): void {
    for (let extra = this.#body.rows.length - FEED_ROWS; extra > 0; extra--) {
      const last = this.#body.lastElementChild as HTMLTableRowElement;
      this.#shown.delete(last.dataset.id ?? '');
      last.remove();
    }
  }
}

function row(event: LiquidationView): HTMLTableRowElement {
  const tr = el('tr', undefined, event.side);
  tr.dataset.id = event.id;
  tr.append(el('td', clock(event.time)), el('td', event.exchange));
  const symbol = el('td', event.symbol);
  if (event.sampled) {
    const mark = el('span', 'sampled', 'sampled');
    mark.title = 'This feed publishes only a sample of its liquidations';
    symbol.append(mark);
  }
  tr.append(symbol, el('td', event.side, 'side'), el('td', usd(event.notionalUsd), 'num'));
  const priceCell = el('td', price(event.price), 'num');
  priceCell.append(el('span', KIND_LABEL[event.priceKind], 'kind'));
  tr.append(priceCell);
  return tr;
}
