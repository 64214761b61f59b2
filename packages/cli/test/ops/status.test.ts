import { rmSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@liqmon/core';
import { formatHealth } from '../../src/ops/format-health.js';
import type { HealthReport } from '../../src/ops/health-report.js';
import { InstanceLock } from '../../src/ops/lock.js';
import { instanceUrl, readHttpSettings } from '../../src/ops/status-client.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function configWith(text: string, env = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-status-'));
  made.push(dir);
  await writeFile(join(dir, 'config.yaml'), text);
  if (env) await writeFile(join(dir, '.env'), env);
  return join(dir, 'config.yaml');
}

describe('liqmon status: reading the config', () => {
  it('reads only http:, with ${VAR} defaults, even when other variables are missing', async () => {
    const file = await configWith(
      'sinks:\n  telegram: { use: telegram, token: "${NOT_SET_ANYWHERE_TOKEN}" }\nhttp: { port: "${OPS_PORT:-9464}", downAfter: 2m }\n',
      'OPS_PORT=9555\n',
    );
    expect(await readHttpSettings({ configPath: file })).toEqual({ file, http: { port: 9555, host: '127.0.0.1', downAfter: 120_000 } });
  });

  it('says when there is no http: section, and reports a bad one as a config error', async () => {
    const none = await configWith('sources: {}\n');
    expect((await readHttpSettings({ configPath: none })).http).toBeUndefined();
    const bad = await configWith('http: { port: 70000, hots: x }\n');
    const error = await readHttpSettings({ configPath: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path).sort()).toEqual(['http', 'http.port']);
  });

  it('asks the address in the config only, never one written in the lock file; the lock gives the pid', async () => {
    const file = await configWith('http: { port: 9464 }\n');
    const lockDir = await mkdtemp(join(tmpdir(), 'liqmon-status-lock-'));
    made.push(lockDir);
    const http = { port: 9464, host: '127.0.0.1', downAfter: 60_000 };
    expect(await instanceUrl(file, http, lockDir)).toEqual({ url: 'http://127.0.0.1:9464', pid: undefined });
    const lock = await InstanceLock.acquire(file, { dir: lockDir });
    // A lock that names another address (planted, or written by an older version) is not followed.
    const planted = { ...JSON.parse(await readFile(lock.file, 'utf8')), http: { host: '203.0.113.7', port: 80 } };
    await writeFile(lock.file, JSON.stringify(planted));
    expect(await instanceUrl(file, http, lockDir)).toEqual({ url: 'http://127.0.0.1:9464', pid: process.pid });
    expect(await instanceUrl(file, { ...http, host: '0.0.0.0' }, lockDir)).toEqual({ url: 'http://127.0.0.1:9464', pid: process.pid });
    await lock.release();
  });
});

describe('liqmon status: output', () => {
  it('prints sources, sinks and problems in aligned lines', () => {
    const report: HealthReport = {
      status: 'unhealthy',
      version: '0.1.0',
      pid: 4242,
      uptimeMs: 3 * 3600_000 + 5 * 60_000,
      downAfterMs: 60_000,
      sources: {
        binance: { connected: true, lastMessageAgeMs: 2_000, reconnects: 3, restarts: 0, frames: 900, events: 120, malformed: 0, healthy: true },
        bybit: { connected: false, downForMs: 125_000, lastMessageAgeMs: 130_000, reconnects: 14, restarts: 0, frames: 10, events: 2, malformed: 1, healthy: false, problem: 'source bybit has been disconnected for 2m 5s (limit 60s)' },
      },
      sinks: {
        telegram: { state: 'ok', queueDepth: 0, sent: 118, failed: 0, destinations: {}, healthy: true },
        discord: { state: 'failed', queueDepth: 0, sent: 3, failed: 5, lastError: 'Discord said 401:\nUnauthorized', destinations: {}, healthy: false, problem: 'sink discord has stopped: Discord said 401: Unauthorized' },
      },
      problems: ['source bybit has been disconnected for 2m 5s (limit 60s)', 'sink discord has stopped: Discord said 401: Unauthorized'],
    };
    expect(formatHealth(report, 'http://127.0.0.1:9464')).toBe(
      [
        'liqmon 0.1.0 (pid 4242) at http://127.0.0.1:9464: UNHEALTHY, up 3h 5m',
        '',
        'sources',
        '  binance  connected       last message 2s ago         reconnects 3  liquidations 120',
        '  bybit    DOWN 2m 5s      last message 2m 10s ago     reconnects 14  liquidations 2  malformed 1',
        '',
        'sinks',
        '  telegram  ok        queue 0  sent 118  failed 0',
        '  discord   FAILED    queue 0  sent 3  failed 5',
        '            last error: Discord said 401: Unauthorized',
        '',
        'problems',
        '  - source bybit has been disconnected for 2m 5s (limit 60s)',
        '  - sink discord has stopped: Discord said 401: Unauthorized',
        '',
      ].join('\n'),
    );
  });
});
