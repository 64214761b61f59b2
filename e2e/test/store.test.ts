/**
 * The store end to end: `liqmon start` keeps every liquidation in liqmon.db beside the config (alerted
 * or not), `validate` says where, `liqmon stats` reads it while start runs; a broken store never stops alerts, and `/healthz`, `liqmon status`
 * and `/metrics` say it is off.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBinance } from '@liqmon/core/testing';
import { openDatabase } from '@liqmon/store';
import { afterEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, type CliRun, freePort, liqmon, liqmonRun } from './cli.js';

/** The Binance fixture with the store on (its default), minUsd 10k. */
const fixture = (await readFile(new URL('./fixtures/binance.yaml', import.meta.url), 'utf8')).replace(/^store: false$/m, '').replace('minUsd: 100', 'minUsd: 10k');

const folders: string[] = [];
const running: CliRun[] = [];
const fakes: FakeBinance[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  for (const fake of fakes.splice(0)) await fake.close().catch(() => undefined);
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function setup(extra = '') {
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-store-e2e-'));
  folders.push(dir);
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `${fixture}${extra}\n`);
  const fake = await FakeBinance.start();
  fakes.push(fake);
  const env = cleanEnv({ FAKE_BINANCE_USDM: fake.usdmUrl, FAKE_BINANCE_COINM: fake.coinmUrl, FAKE_BINANCE_REST: fake.restUrl });
  return { dir, config, fake, env, db: join(dir, 'liqmon.db') };
}

function start(config: string, env: NodeJS.ProcessEnv): CliRun {
  const run = liqmon(['start', '-c', config], { env });
  running.push(run);
  return run;
}

describe('the store under liqmon start', () => {
  it('keeps every liquidation, alerted or not, beside the config; validate says where', async () => {
    const { config, fake, env, db } = await setup();
    expect((await liqmonRun(['validate', '-c', config], { env })).stdout).toContain(`store: ${db} (keeps 30d)`);
    const run = start(config, env);
    await run.waitFor(`store: ${db}`);
    await fake.server.waitForClients(2);
    fake.pushUsdm({ symbol: 'DOGEUSDT', side: 'SELL', filled: '1000', price: '0.2' }); // $200: stored, not alerted
    fake.pushUsdm({ symbol: 'ETHUSDT', side: 'BUY', filled: '10', price: '3000' }); // $30k: stored and alerted
    await run.waitFor('"symbol":"ETHUSDT"');
    // liqmon stats reads beside the running instance (WAL): both rows, within a flush period.
    let counted = 0;
    for (let tries = 0; tries < 20 && counted < 2; tries++) {
      const stats = await liqmonRun(['stats', '-c', config, '--json'], { env });
      expect(stats.code).toBe(0);
      counted = (JSON.parse(stats.stdout) as { count: number }).count;
    }
    expect(counted).toBe(2);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(alertEvents(run.stdout()).map((e) => e.symbol)).toEqual(['ETHUSDT']);

    const read = openDatabase(db, { readonly: true });
    try {
      const rows = read.prepare('SELECT symbol, side, notional_usd AS usd, source FROM liquidations ORDER BY notional_usd').all();
      expect(rows).toEqual([
        { symbol: 'DOGEUSDT', side: 'long', usd: 200, source: 'binance' },
        { symbol: 'ETHUSDT', side: 'short', usd: 30_000, source: 'binance' },
      ]);
    } finally {
      read.close();
    }
  });

  it('stores nothing with store: false, and validate says the store is off', async () => {
    const { dir, config, env } = await setup('store: false');
    expect((await liqmonRun(['validate', '-c', config], { env })).stdout).toContain('store: off (store: false)');
    const run = start(config, env);
    await run.waitFor('store: off (store: false in the config)');
    // The store line comes before liqmon handles signals; a source's start comes after.
    await run.waitFor('source started');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(readdirSync(dir).filter((name) => name.startsWith('liqmon.db'))).toEqual([]);
  });

  it('alerts go on with a corrupt store; /healthz, liqmon status and /metrics say it is off', async () => {
    const port = await freePort();
    const { config, fake, env, db } = await setup(`http: { port: ${port} }`);
    writeFileSync(db, 'this is no database '.repeat(100));
    const run = start(config, env);
    await run.waitFor('source started');
    await fake.server.waitForClients(2);
    fake.pushUsdm({ symbol: 'ETHUSDT', side: 'BUY', filled: '10', price: '3000' });
    await run.waitFor('"symbol":"ETHUSDT"');
    const errors = run.stderr().split('\n').filter((line) => line.includes('store off'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`Cannot open the store ${db}: it is not a liqmon database or it is damaged`);
    expect(errors[0]).toContain(`mv ${db} ${db}.broken`);

    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string; store: unknown };
    expect(health.status).toBe('ok');
    expect(health.store).toMatchObject({ state: 'off', file: db, written: 0, notStored: { corrupt: 1 } });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('liqmon_store_up 0');
    expect(metrics).toContain('liqmon_store_rows_not_stored_total{reason="corrupt"} 1');
    const status = await liqmonRun(['status', '-c', config], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`store\n  OFF  ${db}  written 0  not stored: corrupt 1`);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
