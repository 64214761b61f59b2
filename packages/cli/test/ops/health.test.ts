import { afterEach, describe, expect, it } from 'vitest';
import { HealthMonitor } from '../../src/ops/health.js';
import { formatHealth } from '../../src/ops/format-health.js';
import { healthReportSchema } from '../../src/ops/health-report.js';
import { Redactor } from '@liqmon/core';
import { FakeTarget, outbox } from './fakes.js';

let clock = 0;
const monitors: HealthMonitor[] = [];
function monitor(target: FakeTarget, redactor = new Redactor()): HealthMonitor {
  const m = new HealthMonitor({ target, downAfterMs: 60_000, redactor, now: () => clock, sampleEveryMs: 0 });
  monitors.push(m);
  return m;
}
afterEach(() => {
  for (const m of monitors.splice(0)) m.close();
  clock = 0;
});

describe('health model', () => {
  it('reports every source and sink, healthy when all are connected and working', () => {
    clock = 10_000;
    const target = new FakeTarget(['binance', 'bybit']);
    target.source('binance').state = { connected: true, lastMessageAt: 9_000, reconnects: 2, frames: 40, events: 12, malformed: 1, restarts: 0 };
    target.deliveryStats = { sinks: { telegram: { state: 'ok', destinations: { default: outbox({ sent: 12, waiting: 3 }) } } } };
    const report = monitor(target).report();

    expect(healthReportSchema.parse(report)).toEqual(report); // the wire format status parses
    expect(report.status).toBe('ok');
    expect(report.problems).toEqual([]);
    expect(report.sources['binance']).toMatchObject({ connected: true, lastMessageAgeMs: 1_000, reconnects: 2, events: 12, malformed: 1, healthy: true });
    expect(report.sources['binance']?.downForMs).toBeUndefined();
    expect(report.sinks['telegram']).toMatchObject({ state: 'ok', queueDepth: 3, sent: 12, failed: 0, healthy: true });
  });

  it('a source down for up to downAfter is still healthy; past it the report is unhealthy, and reconnecting heals it', () => {
    const target = new FakeTarget(['binance']);
    const m = monitor(target);
    clock = 5_000;
    target.source('binance').state.connected = false;
    m.sample();

    clock = 65_000; // down for exactly 60 s: not yet past the limit
    expect(m.report()).toMatchObject({ status: 'ok', sources: { binance: { connected: false, downForMs: 60_000, healthy: true } } });

    clock = 65_001;
    const down = m.report();
    expect(down.status).toBe('unhealthy');
    expect(down.sources['binance']).toMatchObject({ healthy: false, downForMs: 60_001 });
    expect(down.problems).toEqual(['source binance has been disconnected for 60s (limit 60s)']);

    target.source('binance').state.connected = true;
    clock = 66_000;
    expect(m.report()).toMatchObject({ status: 'ok', problems: [] });

    // Down again: the clock starts over, it does not remember the earlier outage.
    target.source('binance').state.connected = false;
    clock = 70_000;
    m.sample();
    clock = 100_000;
    expect(m.report().sources['binance']).toMatchObject({ downForMs: 30_000, healthy: true });
  });

  it('a source that never connects counts as down since the monitor started', () => {
    clock = 1_000;
    const target = new FakeTarget(['bybit']);
    target.source('bybit').state.connected = false;
    const m = monitor(target);
    clock = 61_001 + 1_000;
    expect(m.report()).toMatchObject({ status: 'unhealthy', sources: { bybit: { downForMs: 61_001, healthy: false } } });
  });

  it('a failed sink is unhealthy; a retrying one is reported but healthy', () => {
    const target = new FakeTarget([]);
    target.deliveryStats = {
      sinks: {
        discord: { state: 'retrying', destinations: { default: outbox({ state: 'retrying', waiting: 5, retried: 3, lastError: 'HTTP 502 Bad Gateway' }) } },
        telegram: {
          state: 'failed',
          fatalError: 'Telegram said 401 Unauthorized',
          destinations: { default: outbox({ state: 'failed', sent: 4, failed: { fatal: 2, rejected: 0, attempts: 0, render: 0, shutdown: 0 } }) },
        },
      },
    };
    const report = monitor(target).report();
    expect(report.status).toBe('unhealthy');
    expect(report.sinks['discord']).toMatchObject({ state: 'retrying', queueDepth: 5, lastError: 'HTTP 502 Bad Gateway', healthy: true });
    expect(report.sinks['telegram']).toMatchObject({ state: 'failed', sent: 4, failed: 2, lastError: 'Telegram said 401 Unauthorized', healthy: false });
    expect(report.problems).toEqual(['sink telegram has stopped: Telegram said 401 Unauthorized']);
  });

  it('a sink with one stopped destination is unhealthy and names it, though its other chats still receive', () => {
    const target = new FakeTarget([]);
    target.deliveryStats = {
      sinks: {
        telegram: {
          state: 'ok',
          destinations: {
            good: outbox({ state: 'ok', sent: 7 }),
            bad: outbox({ state: 'failed', lastError: 'Telegram answered 400 "Bad Request: chat not found" for chat bad' }),
          },
        },
      },
    };
    const report = monitor(target).report();
    expect(report.status).toBe('unhealthy');
    expect(report.sinks['telegram']).toMatchObject({ state: 'ok', sent: 7, healthy: false, destinations: { bad: { state: 'failed' }, good: { state: 'ok' } } });
    expect(report.problems).toEqual(['sink telegram: destination bad has stopped: Telegram answered 400 "Bad Request: chat not found" for chat bad']);
  });

  it('redacts secrets in sink errors and destination names (delivery keeps them as the sink threw them)', () => {
    const redactor = new Redactor();
    const token = '123456:AAHsecretBotToken';
    redactor.add(token);
    redactor.add('-1001234567890');
    const target = new FakeTarget([]);
    target.deliveryStats = {
      sinks: {
        telegram: {
          state: 'failed',
          fatalError: `POST https://api.telegram.org/bot${token}/sendMessage: 401`,
          destinations: { '-1001234567890': outbox({ state: 'failed', lastError: `bot${token} refused` }) },
        },
      },
    };
    const text = JSON.stringify(monitor(target, redactor).report());
    expect(text).not.toContain('AAHsecretBotToken');
    expect(text).not.toContain('1001234567890');
    expect(text).toContain('bot[redacted]/sendMessage');
    expect(Object.keys(JSON.parse(text).sinks.telegram.destinations)).toEqual(['[redacted]']);
  });

  it('a sink that keeps failing for longer than downAfter is unhealthy, with its last error redacted, though it never stopped', () => {
    const redactor = new Redactor();
    redactor.add('123456:AAHsecretBotToken');
    const target = new FakeTarget([]);
    const retrying = outbox({ state: 'retrying', waiting: 23, retried: 40, lastError: 'POST https://api.telegram.org/bot123456:AAHsecretBotToken/sendMessage: ENOTFOUND' });
    target.deliveryStats = { sinks: { telegram: { state: 'retrying', destinations: { default: retrying } } } };
    clock = 1_000;
    const m = monitor(target, redactor);

    clock = 61_000; // failing for exactly downAfter: still healthy
    expect(m.report()).toMatchObject({ status: 'ok', sinks: { telegram: { healthy: true, failingForMs: 60_000 } } });

    clock = 61_001;
    const report = m.report();
    expect(report.status).toBe('unhealthy');
    expect(report.sinks['telegram']).toMatchObject({ state: 'retrying', sent: 0, queueDepth: 23, healthy: false, failingForMs: 60_001 });
    expect(report.problems).toEqual([
      'sink telegram has been failing for 60s (limit 60s), nothing delivered yet: POST https://api.telegram.org/bot[redacted]/sendMessage: ENOTFOUND',
    ]);
    expect(formatHealth(report, 'x')).toContain('telegram  FAILING   queue 23  sent 0  failed 0');

    // One success heals it; a later failure starts the clock over.
    target.deliveryStats = { sinks: { telegram: { state: 'ok', destinations: { default: outbox({ state: 'ok', sent: 23 }) } } } };
    clock = 62_000;
    expect(m.report()).toMatchObject({ status: 'ok', problems: [] });
    target.deliveryStats = { sinks: { telegram: { state: 'retrying', destinations: { default: { ...retrying, sent: 23 } } } } };
    clock = 70_000;
    m.sample();
    clock = 100_000;
    expect(m.report().sinks['telegram']).toMatchObject({ healthy: true, failingForMs: 30_000 });
    clock = 200_000;
    expect(m.report().problems[0]).toMatch(/^sink telegram has been failing for 2m 10s \(limit 60s\), no delivery since: /);
  });

  it('reports invalid, oversized and unknown-instrument counts per source, and the one-line summary', () => {
    const target = new FakeTarget(['binance']);
    target.source('binance').state = {
      connected: true,
      reconnects: 0,
      frames: 10,
      events: 5,
      malformed: 0,
      restarts: 0,
      invalid: 4,
      invalidByReason: { notional: 3, time: 1 },
      oversized: 1,
      unknownInstrument: 2,
      feeds: { usdm: true, coinm: false },
      problem: 'cannot connect: ECONNREFUSED',
    };
    const report = monitor(target).report();
    expect(healthReportSchema.parse(report)).toEqual(report);
    expect(report.summary).toBe('1 source: binance connected (usdm; coinm not connected: cannot connect: ECONNREFUSED)');
    expect(report.sources['binance']).toMatchObject({ invalid: 4, invalidByReason: { notional: 3, time: 1 }, oversized: 1, unknownInstrument: 2, feeds: { usdm: true, coinm: false } });
    expect(formatHealth(report, 'x')).toContain('invalid 4 (notional 3, time 1)  oversized 1  unknown instrument 2');
  });
});
