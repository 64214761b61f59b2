/**
 * The dashboard page: the live stream first (nothing is missed while the history loads), then the
 * stored history when the store is on. Live liquidations are queued and handed to the feed, the totals
 * and the chart once per animation frame; totals and chart redraw once a second.
 */
import './style.css';
import type { AlertView, DeliveryUpdate, LiquidationView } from '../shapes.js';
import { AlertList } from './alerts.js';
import { api } from './api.js';
import { Chart, CHART_HOURS } from './chart.js';
import { Feed } from './feed.js';
import { bindFilters } from './filters.js';
import { drawHealth } from './health.js';
import { Totals } from './totals.js';

const MINUTE = 60_000;

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

function start(): void {
  const feed = new Feed(byId('feed'));
  const totals = new Totals({ '1h': byId('totals-1h'), '24h': byId('totals-24h') }, Date.now());
  const opened = Date.now();
  const chart = new Chart(byId('chart'), opened);
  const alerts = new AlertList(byId('alerts'));
  let historyOn = false;
  const filter = bindFilters(byId('filters'), byId('filter-error'), (next, query) => {
    feed.setFilter(next);
    if (historyOn) void loadFeed(query);
  });
  feed.setFilter(filter);

  const loadFeed = async (query: URLSearchParams) => {
    const params = new URLSearchParams(query);
    params.set('since', '24h');
    params.set('limit', '300');
    feed.history(await api.liquidations(params.toString()));
  };

  // Live: one batch per animation frame (a timer while the tab is hidden, where frames stop).
  const queue: LiquidationView[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue.splice(0);
    feed.add(batch);
    totals.add(batch);
    chart.add(batch);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    if (document.hidden) setTimeout(flush, 1000);
    else requestAnimationFrame(flush);
  };
  const connection = byId('connection');
  const stream = new EventSource('/api/stream');
  stream.addEventListener('open', () => {
    connection.textContent = 'live';
    connection.className = 'badge ok';
  });
  stream.addEventListener('error', () => {
    connection.textContent = 'reconnecting…';
    connection.className = 'badge bad';
  });
  stream.addEventListener('liquidation', (message) => {
    queue.push(JSON.parse((message as MessageEvent<string>).data) as LiquidationView);
    schedule();
  });
  const onAlert = (view: AlertView) => {
    alerts.add(view);
    if (view.kind === 'cascade') chart.cascade(view.lastTime);
  };
  stream.addEventListener('alert', (message) => onAlert(JSON.parse((message as MessageEvent<string>).data) as AlertView));
  stream.addEventListener('delivery', (message) => alerts.delivery(JSON.parse((message as MessageEvent<string>).data) as DeliveryUpdate));

  setInterval(() => {
    totals.render(Date.now());
    chart.render(Date.now());
  }, 1000);

  const healthParts = { status: byId('health-status'), summary: byId('health-summary'), sources: byId<HTMLTableElement>('sources'), sinks: byId<HTMLTableElement>('sinks') };
  const pollHealth = () =>
    api.health().then(
      (health) => drawHealth(health, healthParts),
      () => undefined,
    );
  void pollHealth();
  setInterval(() => void pollHealth(), 5000);

  void api.alerts('limit=50').then((views) => {
    for (const view of [...views].reverse()) onAlert(view);
  }, showProblem);

  void api.info().then(async (info) => {
    if (!info.history.available) {
      showNote(`History is off (${info.history.reason ?? 'no store'}): totals and chart count from when this page opened.`);
      totals.render(Date.now());
      return;
    }
    historyOn = true;
    const refreshTotals = async () => {
      // Up to a minute boundary: live events from there on are counted by the page.
      const until = Math.floor(Date.now() / MINUTE) * MINUTE;
      const [hour, day] = await Promise.all([api.stats(`since=${until - 3_600_000}&until=${until}`), api.stats(`since=${until - 86_400_000}&until=${until}`)]);
      totals.setBase('1h', hour);
      totals.setBase('24h', day);
      totals.render(Date.now());
    };
    if (info.history.stats) {
      await refreshTotals();
      setInterval(() => void refreshTotals().catch(showProblem), MINUTE);
    } else showNote('Totals count from when this page opened (the store gives no statistics yet).');
    // From a minute boundary: the store then reads whole minutes from its roll-ups, not every row.
    const chartSince = Math.floor(opened / MINUTE) * MINUTE - CHART_HOURS * 3_600_000;
    chart.history(await api.series(`since=${chartSince}&until=${opened}&step=1m`));
    chart.render(Date.now());
    await loadFeed(new URLSearchParams(location.search));
  }).catch(showProblem);
}

function showNote(text: string): void {
  const note = byId('history-note');
  note.textContent = text;
  note.hidden = false;
}

function showProblem(error: unknown): void {
  showNote(`Could not load the history: ${error instanceof Error ? error.message : String(error)}`);
}

start();
