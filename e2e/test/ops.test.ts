/**
 * Operations end to end: `liqmon start` with `http:` against a fake Binance (/healthz, /metrics),
 * `liqmon status`, and the one-instance lock between real processes.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeBinance } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, type CliRun, freePort, liqmon, liqmonRun } from './cli.js';

const binanceFixture = await readFile(new URL('./fixtures/binance.yaml', import.meta.url), 'utf8');


const folders: string[] = [];
/** A config file of its own per test: the lock is per config file. */
async function writeConfig(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-ops-'));
  folders.push(dir);
  const file = join(dir, 'config.yaml');
  await writeFile(file, text);
  return file;
}

const running: CliRun[] = [];
const fakes: FakeBinance[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  for (const fake of fakes.splice(0)) await fake.close().catch(() => undefined);
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(config: string, env = cleanEnv()): CliRun {
  const run = liqmon(['start', '-c', config], { env });
  running.push(run);
  return run;
}

/** The address `liqmon start` logged for its http server. */
async function boundUrl(run: CliRun): Promise<string> {
  const pattern = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
  await run.waitFor(pattern);
  return pattern.exec(run.stderr())![1]!;
}

async function healthz(url: string): Promise<{ status: number; body: { status: string; sources: Record<string, { connected: boolean }> } }> {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: (await response.json()) as never };
}

describe('liqmon start with http:', () => {
  it('serves /healthz and /metrics, answers `liqmon status`, refuses a second instance, and turns 503 when the exchange goes away', async () => {
    const fake = await FakeBinance.start();
    fakes.push(fake);
    const env = cleanEnv({ FAKE_BINANCE_USDM: fake.usdmUrl, FAKE_BINANCE_COINM: fake.coinmUrl, FAKE_BINANCE_REST: fake.restUrl });
    const port = await freePort();
    const config = await writeConfig(binanceFixture.replace(/^rules:/m, `http: { port: ${port}, downAfter: 1s }\nrules:`));
    const run = start(config, env);
    const url = await boundUrl(run);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    await run.waitFor('source started');
    await fake.server.waitForClients(2);
    // The lock lives beside the config, in a folder of this user only.
    expect((await readdir(join(dirname(config), '.liqmon'))).filter((name) => name.endsWith('.lock'))).toHaveLength(1);

    const healthy = await healthz(url);
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ status: 'ok', sources: { binance: { connected: true } }, sinks: { out: { state: 'ok' } } });

    // One liquidation through the whole pipeline: counted, alerted, delivered.
    fake.pushUsdm({ symbol: 'ETHUSDT', side: 'BUY', filled: '2', price: '3000' });
    await run.waitFor('"symbol":"ETHUSDT"');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('liqmon_liquidations_received_total{exchange="binance",market="usdm"} 1');
    expect(metrics).toContain('liqmon_alerts_total{rule="all",kind="liquidation"} 1');
    expect(metrics).toContain('liqmon_deliveries_total{sink="out",outcome="sent"} 1');
    expect(metrics).toContain('liqmon_delivery_latency_seconds_count{sink="out"} 1');
    expect(metrics).toContain('liqmon_source_connected{source="binance"} 1');

    const status = await liqmonRun(['status', '-c', config], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`(pid ${run.child.pid}) at ${url}: healthy`);
    expect(status.stdout).toMatch(/binance\s+connected/);
    expect(status.stdout).toMatch(/out\s+ok\s+queue 0\s+sent 1\s+failed 0/);

    // Nobody double-posts by accident: a second start on the same config is refused.
    const second = await liqmonRun(['start', '-c', config], { env });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Another liqmon instance (pid ${run.child.pid}) is already running on this config.`);

    // The exchange goes away: after downAfter (1s) the instance is unhealthy.
    await fake.close();
    await expect.poll(async () => (await healthz(url)).status, { timeout: 10_000, interval: 200 }).toBe(503);
    const down = await liqmonRun(['status', '-c', config], { env });
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('UNHEALTHY');
    expect(down.stdout).toMatch(/source binance has been disconnected for [\d.]+s \(limit 1s\)/);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    // Stopped: the lock is released and status says nobody answers.
    const after = await liqmonRun(['status', '-c', config], { env });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`cannot reach liqmon at ${url}/healthz`);
    expect(after.stderr).toContain('no liqmon instance holds the lock for this config');
  });
});

// A source that stays quiet (one frame an hour) but keeps the process running, as a real one would.
const toySource = fileURLToPath(new URL('../../examples/toy-source/index.js', import.meta.url));
const quietConfig = `sources:\n  toy: { use: "${toySource}", interval: 1h }\nsinks:\n  out: { use: console, format: json }\nrules:\n  - { name: all, to: [out] }\n`;

describe('one instance per config', () => {
  it('of several starts at once, exactly one runs; the others exit 1 naming its pid', async () => {
    const config = await writeConfig(quietConfig);
    const runs = Array.from({ length: 4 }, () => start(config));
    const outcome = await Promise.all(runs.map((run) => Promise.race([run.exited, run.waitFor('source started', 20_000).then(() => 'running', () => 'timed out')])));
    const winners = runs.filter((_, i) => outcome[i] === 'running');
    expect(winners).toHaveLength(1);
    expect(outcome.filter((o) => o === 1)).toHaveLength(3);
    for (const [i, run] of runs.entries()) {
      if (outcome[i] === 1) expect(run.stderr()).toContain(`Another liqmon instance (pid ${winners[0]!.child.pid}) is already running`);
    }
    winners[0]!.child.kill('SIGTERM');
    expect(await winners[0]!.exited).toBe(0);
  });

  it('takes over the lock of an instance that crashed', async () => {
    const config = await writeConfig(quietConfig);
    const crashed = start(config);
    await crashed.waitFor('source started');
    crashed.child.kill('SIGKILL'); // no cleanup: the lock file stays behind
    await crashed.exited;
    const next = start(config);
    await next.waitFor('source started');
    expect(next.stderr()).toContain(`took over the lock of an instance that is gone (pid ${crashed.child.pid})`);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });

  it('a lock folder liqmon cannot use is one clear line and exit 1, no stack trace', async () => {
    const config = await writeConfig(quietConfig);
    await writeFile(join(dirname(config), '.liqmon'), 'not a folder');
    const run = await liqmonRun(['start', '-c', config]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`liqmon: Refusing to keep the instance lock in ${join(dirname(config), '.liqmon')}: it is not a folder.\n  hint: `);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('`liqmon status` with `http.port: 0` says it cannot know the port (it never reads one from the lock)', async () => {
    const config = await writeConfig(`${quietConfig}http: { port: 0 }\n`);
    const status = await liqmonRun(['status', '-c', config]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('says `http.port: 0` (any free port), so `liqmon status` cannot know where the instance listens.');
  });

  it('`liqmon status` without http: in the config says how to enable it', async () => {
    const config = await writeConfig(quietConfig);
    const status = await liqmonRun(['status', '-c', config]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('has no `http:` section');
    expect(status.stderr).toContain('add `http: { port: 9464 }` to the config');
  });
});
