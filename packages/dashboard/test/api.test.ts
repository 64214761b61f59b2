import { sampleAlert, sampleLiquidation } from '@liqmon/core/testing';
import type { LiquidationStats, StatsQuery } from '@liqmon/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertView, DashboardHistory, LiquidationQuery, SeriesQuery } from '../src/index.js';
import { CONTENT_SECURITY_POLICY } from '../src/index.js';
import { serveDashboard, type Served } from './helpers.js';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const served: Served[] = [];
afterEach(async () => {
  for (const s of served.splice(0)) await s.close();
});

/** A history that records what it was asked. */
function recordingHistory() {
  const asked: { liquidations: LiquidationQuery[]; stats: StatsQuery[]; series: SeriesQuery[] } = { liquidations: [], stats: [], series: [] };
  const history: DashboardHistory = {
    liquidations: (q) => {
      asked.liquidations.push(q);
      return [sampleLiquidation({ time: NOW - 1000 })];
    },
    stats: (q) => {
      asked.stats.push(q);
      return { since: q.since, until: q.until, by: q.by ?? 'exchange', count: 0 } as LiquidationStats;
    },
    series: async (q) => {
      asked.series.push(q);
      return { since: q.since, until: q.until, stepMs: q.stepMs, points: [] };
    },
  };
  return { history, asked };
}

async function start(history?: DashboardHistory): Promise<Served> {
  const s = await serveDashboard({ now: () => NOW, ...(history ? { history: { history } } : {}) });
  served.push(s);
  return s;
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('the page', () => {
  it('is served at / and its files under /assets/ with the security headers; source maps are not', async () => {
    const { url } = await start();
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(`${url}/assets/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${url}/assets/app.js.map`)).status).toBe(404);
    expect((await fetch(`${url}/index.html`)).status).toBe(404);
  });
});

describe('history endpoints', () => {
  it('answer 503 with the reason when there is no store, while /api/info says so with 200', async () => {
    const { url } = await start();
    for (const path of ['/api/liquidations', '/api/stats', '/api/series']) {
      const { status, body } = await getJson(`${url}${path}`);
      expect(status).toBe(503);
      expect(body).toEqual({ error: 'history is off: store: false in the config; the live stream (/api/stream) still works' });
    }
    expect(await getJson(`${url}/api/info`)).toEqual({ status: 200, body: { version: '0.1.0', history: { available: false, stats: false, reason: 'store: false in the config' } } });
  });

  it('answer /api/stats with 503 when the store gives no statistics, and /api/info says so', async () => {
    const { history } = recordingHistory();
    const { url } = await start({ liquidations: history.liquidations, series: history.series });
    expect(await getJson(`${url}/api/stats`)).toEqual({ status: 503, body: { error: 'history is off: the store cannot compute statistics in this version; the live stream (/api/stream) still works' } });
    expect((await getJson(`${url}/api/info`)).body).toEqual({ version: '0.1.0', history: { available: true, stats: false } });
    expect((await getJson(`${url}/api/liquidations`)).status).toBe(200);
  });

  it('hand the history the parsed query: relative times, lists, side, amounts, limit', async () => {
    const { history, asked } = recordingHistory();
    const { url } = await start(history);
    const { status, body } = await getJson(`${url}/api/liquidations?since=2h&exchange=Binance,bybit&base=btc&side=long&minUsd=50k&limit=20`);
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    expect(asked.liquidations).toEqual([{ since: NOW - 7_200_000, until: NOW, exchange: ['binance', 'bybit'], base: ['BTC'], side: 'long', minUsd: 50_000, limit: 20 }]);

    await getJson(`${url}/api/stats?since=24h&by=side`);
    expect(asked.stats).toEqual([{ since: NOW - 86_400_000, until: NOW, by: 'side', top: 10 }]);
    await getJson(`${url}/api/stats`);
    expect(asked.stats[1]).toMatchObject({ since: NOW - 86_400_000, until: NOW, by: 'exchange' });

    await getJson(`${url}/api/series?since=2026-12-04T06:00:00Z&until=${NOW}&step=5m`);
    expect(asked.series).toEqual([{ since: Date.UTC(2026, 11, 4, 6), until: NOW, stepMs: 300_000 }]);
  });

  it.each([
    ['/api/liquidations?limit=0', 'limit=0 is not allowed: give a whole number from 1 to 1000'],
    ['/api/liquidations?limit=5000', 'limit=5000 is not allowed: give a whole number from 1 to 1000'],
    ['/api/liquidations?since=yesterday', 'since=yesterday is not a time: give a duration back from now (24h, 90m), ms since epoch, or an ISO time (2026-12-04T10:00:00Z)'],
    ['/api/liquidations?since=1h&until=2h', 'since must be before until (since=2026-12-04T11:00:00.000Z, until=2026-12-04T10:00:00.000Z)'],
    ['/api/liquidations?side=up', 'side=up is not a side: give long or short'],
    ['/api/liquidations?minUsd=lots', 'minUsd=lots is not an amount: give USD such as 50000, 50k or 1.5M'],
    ['/api/liquidations?exchange=bin%0Aance', "exchange=bin?ance is not a list of names: give names of letters, digits, '.', '_' or '-', comma-separated (at most 50)"],
    ['/api/liquidations?minusd=5', 'unknown parameter "minusd"; this endpoint takes since, until, limit, exchange, base, side, minUsd'],
    ['/api/liquidations?side=long&side=short', '"side" is given twice; give it once (lists are comma-separated: exchange=binance,bybit)'],
    ['/api/stats?by=colour', 'by=colour is not a grouping: give one of exchange, base, symbol, side, market'],
    ['/api/series?step=1s', 'step=1s is not allowed: give a duration from 10s to 60m (1m, 5m)'],
    ['/api/series?since=7d', '10080 steps asked; at most 2880: shorten the period or lengthen step'],
    ['/api/alerts?limit=-1', 'limit=-1 is not allowed: give a whole number from 1 to 1000'],
    ['/api/stream?side=both', 'side=both is not a side: give long or short'],
  ])('%s is a 400 with a message', async (path, message) => {
    const { history, asked } = recordingHistory();
    const { url } = await start(history);
    expect(await getJson(`${url}${path}`)).toEqual({ status: 400, body: { error: message } });
    expect(asked.liquidations).toEqual([]);
  });
});

describe('/api/alerts', () => {
  it('lists the alerts of this run newest first, with each sink delivery outcome', async () => {
    const { url, dashboard } = await start();
    const first = { ...sampleAlert(sampleLiquidation(), 'majors'), createdAt: NOW - 2000 };
    const second = { ...sampleAlert(sampleLiquidation(), 'whales'), createdAt: NOW - 1000 };
    dashboard.onAlert(first, ['telegram', 'discord']);
    dashboard.onAlert(second, ['telegram']);
    dashboard.onDelivered('telegram', [first]);
    dashboard.onDeliveryFailed('discord', [first], 'Discord answered 500');
    const { status, body } = await getJson(`${url}/api/alerts`);
    expect(status).toBe(200);
    const views = body as AlertView[];
    expect(views.map((v) => v.rule)).toEqual(['whales', 'majors']);
    expect(views[1]).toMatchObject({
      id: '1',
      kind: 'liquidation',
      count: 1,
      deliveries: [
        { sink: 'telegram', outcome: 'sent' },
        { sink: 'discord', outcome: 'failed', error: 'Discord answered 500' },
      ],
    });
    expect(views[1]!.largest).toMatchObject({ exchange: first.events[0]!.exchange, symbol: first.events[0]!.symbol });
    expect(views[0]!.deliveries).toEqual([{ sink: 'telegram', outcome: 'pending' }]);
    expect(((await getJson(`${url}/api/alerts?limit=1`)).body as AlertView[]).map((v) => v.rule)).toEqual(['whales']);
    expect(((await getJson(`${url}/api/alerts?since=1500ms`)).body as AlertView[]).map((v) => v.rule)).toEqual(['whales']);
  });
});
