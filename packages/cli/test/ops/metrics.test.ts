import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Alert, SinkInstance } from '@liqmon/core';
import { instrumentSink } from '../../src/ops/instrument-sink.js';
import { Metrics } from '../../src/ops/metrics.js';
import { alert, FakeTarget, liquidation, outbox } from './fakes.js';

/** The sample lines of a scrape (no HELP/TYPE comments). */
const samples = (text: string) => text.split('\n').filter((line) => line && !line.startsWith('#'));
/** Metric names the scrape declares. */
const names = (text: string) => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);

describe('metrics', () => {
  it('counts liquidations by exchange and market, alerts by rule and kind; symbol is never a label', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) metrics.onEvent(liquidation({ symbol }));
    metrics.onEvent(liquidation({ exchange: 'bybit', market: 'inverse', symbol: 'BTCUSD' }));
    metrics.onAlert(alert([liquidation()], 'majors'));
    metrics.onAlert(alert([liquidation()], 'majors'));
    metrics.onAlert({ ...alert([liquidation()], 'everything-else'), kind: 'cascade' } as Alert);
    const text = await metrics.text();
    const lines = samples(text);

    expect(lines).toContain('liqmon_liquidations_received_total{exchange="binance",market="usdm"} 3');
    expect(lines).toContain('liqmon_liquidations_received_total{exchange="bybit",market="inverse"} 1');
    expect(lines).toContain('liqmon_alerts_total{rule="majors",kind="liquidation"} 2');
    expect(lines).toContain('liqmon_alerts_total{rule="everything-else",kind="cascade"} 1');
    expect(text).not.toMatch(/symbol=|USDT/);
  });

  it('counts the liquidations core dropped, by source and reason, and the frames of unknown instruments', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const target = new FakeTarget(['binance', 'bybit']);
    target.source('bybit').state = { ...target.source('bybit').state, invalid: 1, invalidByReason: { time: 1 }, unknownInstrument: 3 };
    metrics.attach(target);
    const lines = samples(await metrics.text());
    expect(lines).toContain('liqmon_events_invalid_total{source="bybit",reason="time"} 1');
    expect(lines).toContain('liqmon_source_unknown_instrument_frames_total{source="bybit"} 3');
  });

  it('reads sources, rules and delivery at scrape time', async () => {
    let now = 100_000;
    const metrics = new Metrics({ defaultMetrics: false, now: () => now });
    const target = new FakeTarget(['binance', 'bybit']);
    target.source('binance').state = { connected: true, lastMessageAt: 97_500, reconnects: 4, frames: 50, events: 9, malformed: 2, restarts: 1 };
    target.source('bybit').state.connected = false;
    target.deduped = 7;
    target.deliveryStats = {
      sinks: {
        telegram: {
          state: 'ok',
          destinations: {
            a: outbox({ sent: 10, messages: 6, waiting: 2, retried: 3, rateLimited: 4, folded: 1, failed: { fatal: 0, rejected: 1, attempts: 0, render: 0, shutdown: 0 } }),
            b: outbox({ sent: 5, messages: 5, waiting: 1 }),
            c: outbox({ state: 'failed', failed: { fatal: 2, rejected: 0, attempts: 0, render: 0, shutdown: 0 } }),
          },
        },
        discord: { state: 'failed', fatalError: 'bad webhook', destinations: { default: outbox({ state: 'failed', failed: { fatal: 4, rejected: 0, attempts: 0, render: 0, shutdown: 0 } }) } },
      },
    };
    metrics.attach(target);
    const lines = samples(await metrics.text());

    expect(lines).toEqual(
      expect.arrayContaining([
        'liqmon_source_connected{source="binance"} 1',
        'liqmon_source_connected{source="bybit"} 0',
        'liqmon_source_last_message_age_seconds{source="binance"} 2.5',
        'liqmon_source_reconnects_total{source="binance"} 4',
        'liqmon_source_reconnects_total{source="bybit"} 0',
        'liqmon_source_restarts_total{source="binance"} 1',
        'liqmon_source_frames_total{source="binance"} 50',
        'liqmon_source_malformed_frames_total{source="binance"} 2',
        'liqmon_liquidations_deduplicated_total 7',
        'liqmon_deliveries_total{sink="telegram",outcome="sent"} 15',
        'liqmon_deliveries_total{sink="telegram",outcome="rejected"} 1',
        'liqmon_deliveries_total{sink="discord",outcome="fatal"} 4',
        'liqmon_delivery_messages_total{sink="telegram"} 11',
        'liqmon_delivery_retries_total{sink="telegram"} 3',
        'liqmon_delivery_rate_limited_total{sink="telegram"} 4',
        'liqmon_delivery_folded_total{sink="telegram"} 1',
        'liqmon_delivery_queue_depth{sink="telegram"} 3',
        'liqmon_sink_failed{sink="telegram"} 0',
        'liqmon_sink_failed{sink="discord"} 1',
        'liqmon_sink_destinations_failed{sink="telegram"} 1',
        'liqmon_sink_destinations_failed{sink="discord"} 1',
      ]),
    );
    // A source with no message yet has no age sample rather than a made-up one.
    expect(lines.some((l) => l.startsWith('liqmon_source_last_message_age_seconds{source="bybit"}'))).toBe(false);

    // Counters follow the runtime's totals from scrape to scrape.
    target.source('binance').state.reconnects = 5;
    now += 1_000;
    expect(samples(await metrics.text())).toContain('liqmon_source_reconnects_total{source="binance"} 5');
  });

  it('names everything liqmon_*, process metrics included, in its own registry', async () => {
    const metrics = new Metrics();
    metrics.onEvent(liquidation());
    const text = await metrics.text();
    expect(names(text).length).toBeGreaterThan(20);
    expect(names(text).filter((n) => !n?.startsWith('liqmon_'))).toEqual([]);
    expect(names(text)).toEqual(expect.arrayContaining(['liqmon_process_cpu_seconds_total', 'liqmon_build_info', 'liqmon_delivery_latency_seconds']));
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await globalRegistry.metrics()).not.toContain('liqmon_');
  });
});

describe('delivery latency', () => {
  function recordingSink(): SinkInstance<string> & { sent: string[] } {
    const sent: string[] = [];
    return {
      sent,
      destinations: ['chat'],
      limits: { maxAlertsPerMessage: 5, maxMessageSize: 100 },
      render: (alerts) => alerts.map((a) => a.events.map((e) => e.symbol).join('+')).join('\n'),
      measure: (message) => message.length,
      async send(message) {
        sent.push(message);
      },
    };
  }

  it('observes receive-to-send time of the newest event of each delivered alert; the sink sees its own messages', async () => {
    const now = 10_000;
    const metrics = new Metrics({ defaultMetrics: false, now: () => now });
    const inner = recordingSink();
    const sink = instrumentSink(inner as SinkInstance, (alerts) => metrics.onDelivered('telegram', alerts));
    expect(sink.destinations).toEqual(['chat']);
    expect(sink.limits).toEqual({ maxAlertsPerMessage: 5, maxMessageSize: 100 });

    const alerts = [
      alert([liquidation({ symbol: 'BTCUSDT', receivedAt: 9_000 }), liquidation({ symbol: 'ETHUSDT', receivedAt: 9_950 })]), // newest: 0.05 s
      alert([liquidation({ symbol: 'SOLUSDT', receivedAt: 7_000 })]), // 3 s
      { kind: 'digest', rule: 'majors', events: [], createdAt: 0, alerts: 3, count: 3, totalUsd: 1, firstTime: 0, lastTime: 0 } as Alert, // no events: not observed
    ];
    const message = sink.render(alerts);
    expect(sink.measure?.(message)).toBe('BTCUSDT+ETHUSDT\nSOLUSDT\n'.length);
    await sink.send(message, 'chat', new AbortController().signal);
    expect(inner.sent).toEqual(['BTCUSDT+ETHUSDT\nSOLUSDT\n']);

    const lines = samples(await metrics.text());
    expect(lines).toContain('liqmon_delivery_latency_seconds_count{sink="telegram"} 2');
    expect(lines).toContain('liqmon_delivery_latency_seconds_sum{sink="telegram"} 3.05');
    expect(lines).toContain('liqmon_delivery_latency_seconds_bucket{le="0.05",sink="telegram"} 1');
    expect(lines).toContain('liqmon_delivery_latency_seconds_bucket{le="5",sink="telegram"} 2');
  });

  it('does not observe failed sends, nor sends that finished after their signal was aborted', async () => {
    const metrics = new Metrics({ defaultMetrics: false, now: () => 2_000 });
    const delivered: number[] = [];
    const failing: SinkInstance = { render: () => 'x', send: () => Promise.reject(new Error('HTTP 502')) };
    const late: SinkInstance = { render: () => 'x', send: async () => undefined };
    const a = [alert([liquidation({ receivedAt: 1_000 })])];

    const s1 = instrumentSink(failing, (alerts) => delivered.push(alerts.length));
    await expect(s1.send(s1.render(a), 'default', new AbortController().signal)).rejects.toThrow('HTTP 502');
    const s2 = instrumentSink(late, (alerts) => {
      delivered.push(alerts.length);
      metrics.onDelivered('discord', alerts);
    });
    const aborted = new AbortController();
    aborted.abort();
    await s2.send(s2.render(a), 'default', aborted.signal);
    expect(delivered).toEqual([]);
    expect(await metrics.text()).not.toMatch(/latency_seconds_count\{sink="discord"\}/);
  });
});
