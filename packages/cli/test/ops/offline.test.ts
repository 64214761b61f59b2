/**
 * Offline, a source fails the same way on every retry. What a user must see: one warn line per retry
 * (venue, host, cause, next try) and no stack; after the start timeout one line on how things stand,
 * the same line as /healthz's `summary` and `liqmon status`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineSource, Redactor, SourceUnreachableError, z, type SourceDefinition } from '@liqmon/core';
import { coreConfigSchema, Runtime, type LoadedConfig, type PluginEntry } from '@liqmon/core/runtime';
import { createMemoryLogger } from '@liqmon/core/testing';
import { formatHealth } from '../../src/ops/format-health.js';
import { HealthMonitor } from '../../src/ops/health.js';

const capture = () => createMemoryLogger('info');

/** What Bybit's source throws offline: nothing can be listed, DNS does not resolve. */
function offlineError(): Error {
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND api.bybit.com'), { code: 'ENOTFOUND', hostname: 'api.bybit.com' });
  return new SourceUnreachableError('cannot list instruments', 'api.bybit.com', { cause: new TypeError('fetch failed', { cause: dns }) });
}

function entry(name: string, definition: SourceDefinition): PluginEntry<SourceDefinition> {
  return { name, use: `./${name}.js`, definition, options: {}, secrets: [] };
}

const online = defineSource({
  name: 'online',
  options: z.object({}),
  create: () => ({
    async start() {},
    async stop() {},
    decode: () => [],
    health: () => ({ connected: true, reconnects: 0, feeds: { usdm: true, coinm: true } }),
  }),
}) as unknown as SourceDefinition;

const offline = defineSource({
  name: 'offline',
  options: z.object({}),
  create: () => ({
    async start() {
      throw offlineError();
    },
    async stop() {},
    decode: () => [],
  }),
}) as unknown as SourceDefinition;

afterEach(() => void vi.useRealTimers());

describe('a source that cannot reach its exchange', () => {
  it('logs one warn line per retry without a stack, and one summary line after the start timeout; /healthz and status say the same', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 4, 13, 45, 0) });
    const { logger, lines } = capture();
    const config: LoadedConfig = {
      file: undefined,
      dir: process.cwd(),
      core: coreConfigSchema.parse({}),
      sources: [entry('binance', online), entry('bybit', offline)],
      sinks: [],
      warnings: [],
    };
    const runtime = new Runtime({ config, logger, redactor: new Redactor() });
    void runtime.start();
    await vi.advanceTimersByTimeAsync(38_000);

    const retries = lines.filter((l) => String(l['msg']).startsWith('bybit: cannot list instruments'));
    expect(retries.length).toBeGreaterThanOrEqual(4);
    for (const line of retries) {
      expect(line).toMatchObject({ level: 40, host: 'api.bybit.com', cause: 'ENOTFOUND' });
      expect(line['msg']).toMatch(/^bybit: cannot list instruments \(api\.bybit\.com\): ENOTFOUND; retrying in [\d.]+s \(at \d\d:\d\d:\d\d UTC\)$/);
      expect(line).not.toHaveProperty('err');
    }
    expect(lines.filter((l) => (l['level'] as number) >= 50)).toEqual([]);

    const summary = '2 sources: binance connected (usdm, coinm); bybit not connected, retrying (cannot list instruments: ENOTFOUND)';
    expect(lines.filter((l) => l['msg'] === summary)).toEqual([expect.objectContaining({ level: 40 })]);

    const monitor = new HealthMonitor({ target: runtime, downAfterMs: 60_000, redactor: new Redactor(), sampleEveryMs: 0 });
    const report = monitor.report();
    expect(report.summary).toBe(summary);
    expect(report.sources['bybit']).toMatchObject({ connected: false, lastFailure: 'cannot list instruments: ENOTFOUND' });
    expect(formatHealth(report, 'http://127.0.0.1:9464').split('\n')[1]).toBe(summary);
    expect(formatHealth(report, 'http://127.0.0.1:9464')).toContain('last failure: cannot list instruments: ENOTFOUND');
    monitor.close();
    await runtime.stop(1_000);
  });

  it('sums up at once when every source has started', async () => {
    const { logger, lines } = capture();
    const config: LoadedConfig = {
      file: undefined,
      dir: process.cwd(),
      core: coreConfigSchema.parse({}),
      sources: [entry('binance', online)],
      sinks: [],
      warnings: [],
    };
    const runtime = new Runtime({ config, logger, redactor: new Redactor() });
    await runtime.start();
    expect(lines.filter((l) => l['msg'] === '1 source: binance connected (usdm, coinm)')).toEqual([expect.objectContaining({ level: 30 })]);
    await runtime.stop(1_000);
  });
});
