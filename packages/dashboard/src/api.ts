/**
 * The API under `/api` (docs/dashboard.md): history from the store, the alerts of this run, and the
 * live event stream. Every parameter is checked (400 with a message); without a store the history
 * endpoints answer 503 with the reason, and the stream still works.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AlertLog } from './alert-log.js';
import type { EventStream } from './event-stream.js';
import type { DashboardHistory, HistorySource } from './history.js';
import { BadParameterError, MAX_SERIES_POINTS, Params } from './params.js';
import { sendError, sendJson, send } from './respond.js';

/** What the routes read. */
export interface ApiContext {
  history: HistorySource;
  alerts: AlertLog;
  stream: EventStream;
  now: () => number;
  /** liqmon's version, for `/api/info`. */
  version: string;
}

type Route = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams, context: ApiContext) => Promise<void> | void;

const HOUR = 3_600_000;
const FILTER = ['exchange', 'base', 'side', 'minUsd'];

/** The endpoints, for `GET /api` and the 404 message. */
export const API_INDEX = [
  'GET /api/info  version, and whether the history (the store) is on',
  'GET /api/liquidations?since=&until=&exchange=&base=&side=&minUsd=&limit=  stored liquidations, newest first',
  'GET /api/stats?since=24h&until=&by=exchange&minUsd=  statistics of a period (as liqmon stats --json)',
  'GET /api/series?since=6h&until=&step=1m  liquidated USD per step by side',
  'GET /api/alerts?since=&limit=  the latest alerts of this run and their delivery',
  'GET /api/stream?exchange=&base=&side=&minUsd=  Server-Sent Events: liquidation, alert, delivery',
  'GET /healthz  health (JSON, 200 or 503)',
  'GET /metrics  Prometheus metrics',
];

/** A history endpoint the store cannot answer: 503 with this reason. */
class HistoryUnavailableError extends Error {}

/** Answer a history endpoint from the store, or 503 with the reason there is none. */
function fromHistory(
  handler: (history: DashboardHistory, params: Params) => Promise<unknown> | unknown,
  known: readonly string[],
): Route {
  return async (req, res, query, context) => {
    const params = new Params(query, known, context.now());
    if ('unavailable' in context.history) {
      return sendError(req, res, 503, `history is off: ${context.history.unavailable}; the live stream (/api/stream) still works`);
    }
    sendJson(req, res, 200, await handler(context.history.history, params));
  };
}

const ROUTES: Record<string, Route> = {
  '/api': (req, res) => send(req, res, 200, 'text/plain; charset=utf-8', `liqmon API\n${API_INDEX.join('\n')}\n`),
  '/api/info': (req, res, query, context) => {
    new Params(query, [], context.now());
    const history = 'unavailable' in context.history ? { available: false, stats: false, reason: context.history.unavailable } : { available: true, stats: context.history.history.stats !== undefined };
    sendJson(req, res, 200, { version: context.version, history });
  },
  '/api/liquidations': fromHistory(
    (history, params) => {
      const filter = params.filter();
      return history.liquidations({ ...params.period(HOUR), ...filter, limit: params.limit(200) });
    },
    ['since', 'until', 'limit', ...FILTER],
  ),
  '/api/stats': fromHistory(
    (history, params) => {
      const { minUsd } = params.filter();
      if (!history.stats) throw new HistoryUnavailableError('the store cannot compute statistics in this version');
      return history.stats({ ...params.period(24 * HOUR), by: params.by('exchange'), ...(minUsd === undefined ? {} : { minUsd }), top: params.limit(10, 100) });
    },
    ['since', 'until', 'by', 'minUsd', 'limit'],
  ),
  '/api/series': fromHistory(
    (history, params) => {
      const { since, until } = params.period(6 * HOUR);
      const stepMs = params.duration('step', 60_000, 10_000, HOUR);
      const points = Math.ceil((until - since) / stepMs);
      if (points > MAX_SERIES_POINTS) throw new BadParameterError(`${points} steps asked; at most ${MAX_SERIES_POINTS}: shorten the period or lengthen step`);
      return history.series({ since, until, stepMs });
    },
    ['since', 'until', 'step'],
  ),
  '/api/alerts': (req, res, query, context) => {
    const params = new Params(query, ['since', 'limit'], context.now());
    const since = params.time('since', context.now() - 24 * HOUR);
    sendJson(req, res, 200, context.alerts.latest(since, params.limit(100)));
  },
  '/api/stream': (req, res, query, context) => {
    const params = new Params(query, FILTER, context.now());
    const filter = params.filter();
    if (req.method === 'HEAD') return send(req, res, 200, 'text/event-stream; charset=utf-8', '');
    if (!context.stream.attach(res, filter)) sendError(req, res, 503, 'too many viewers of the event stream; close another page and retry');
  },
};

/**
 * Answer `req` when its path is an API route; false otherwise (the caller sends its 404).
 */
export async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, context: ApiContext): Promise<boolean> {
  const route = ROUTES[url.pathname];
  if (!route) return false;
  try {
    await route(req, res, url.searchParams, context);
  } catch (error) {
    if (error instanceof HistoryUnavailableError) sendError(req, res, 503, `history is off: ${error.message}; the live stream (/api/stream) still works`);
    else if (error instanceof BadParameterError) sendError(req, res, 400, error.message);
    else throw error;
  }
  return true;
}
