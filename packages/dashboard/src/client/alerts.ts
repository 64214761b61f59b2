/** The latest alerts: rule, what happened, and each sink's delivery (pending, sent, failed). */
import type { AlertView, DeliveryUpdate } from '../shapes.js';
import { clock, el, usd } from './format.js';

/** Alerts listed at most. */
const SHOWN = 50;

export class AlertList {
  readonly #list: HTMLOListElement;
  readonly #items = new Map<string, { view: AlertView; li: HTMLLIElement }>();

  constructor(list: HTMLOListElement) {
    this.#list = list;
  }

  /** Alerts from `/api/alerts`, newest first. */
  history(views: readonly AlertView[]): void {
    for (const view of [...views].reverse()) this.add(view);
  }

  /** A new alert, on top. */
  add(view: AlertView): void {
    if (this.#items.has(view.id)) return;
    const li = el('li');
    this.#items.set(view.id, { view, li });
    this.#draw(view, li);
    this.#list.prepend(li);
    while (this.#list.children.length > SHOWN) {
      const last = this.#list.lastElementChild as HTMLLIElement;
      this.#items.delete(last.dataset.id ?? '');
      last.remove();
    }
  }

  /** A sink's delivery of an alert changed. */
  delivery(update: DeliveryUpdate): void {
    const item = this.#items.get(update.alertId);
    if (!item) return;
    item.view.deliveries = item.view.deliveries.map((d) => (d.sink === update.delivery.sink ? update.delivery : d));
    this.#draw(item.view, item.li);
  }

  #draw(view: AlertView, li: HTMLLIElement): void {
    li.dataset.id = view.id;
    li.className = view.kind;
    const what =
      view.kind === 'cascade'
        ? `${['cascade', ...Object.values(view.key ?? {})].join(' ')}: ${view.count} liquidations, ${usd(view.totalUsd)}`
        : view.kind === 'digest' || view.kind === 'summary'
          ? `${view.kind}: ${view.count} liquidations, ${usd(view.totalUsd)}`
          : `${view.largest ? `${view.largest.exchange} ${view.largest.symbol} ${view.largest.side}` : ''} ${usd(view.totalUsd)}${view.count > 1 ? ` (${view.count})` : ''}`;
    const sinks = el('div');
    for (const delivery of view.deliveries) {
      const chip = el('span', `${delivery.sink}: ${delivery.outcome}`, `sink ${delivery.outcome}`);
      if (delivery.error) chip.title = delivery.error;
      sinks.append(chip);
    }
    if (view.deliveries.length === 0) sinks.append(el('span', 'no sink', 'muted'));
    li.replaceChildren(el('span', clock(view.createdAt), 'muted'), ' ', el('strong', view.rule), ' ', el('span', what), sinks);
  }
}
