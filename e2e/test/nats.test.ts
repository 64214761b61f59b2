/**
 * Two liqmon processes on one NATS JetStream bus: an ingest instance with a fake Bybit and the `nats`
 * sink, and an alerting instance with the `nats` source and the console sink. A liquidation pushed by
 * the fake exchange is printed by the alerting instance, once however often it was pushed; a hostile
 * message on the bus is skipped; both exit 0 on SIGTERM. Needs nats-server (docs/scaling.md).
 */
import { fileURLToPath } from 'node:url';
import { FakeBybit } from '@liqmon/core/testing';
import { startNatsServer, type NatsServer } from '@liqmon/sink-nats/testing';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertEvents, cleanEnv, liqmon, liqmonRun, REPO_ROOT } from './cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let nats: NatsServer;
let fake: FakeBybit;
beforeEach(async () => {
  nats = await startNatsServer();
  fake = await FakeBybit.start({ linear: ['BTCUSDT', 'ETHUSDT'], inverse: [] });
});
afterEach(async () => {
  await fake?.close();
  await nats?.stop();
});

const env = () => cleanEnv({ NATS_URL: nats.url, FAKE_BYBIT_WS: fake.wsUrl, FAKE_BYBIT_REST: fake.restUrl });

describe('ingest and alerting instances on a NATS bus', () => {
  it('alerts in the alerting instance on what the ingest instance saw, once per liquidation, and both exit 0', async () => {
    const alerting = liqmon(['start', '-c', fixture('nats-alerting.yaml')], { env: env() });
    await alerting.waitFor('consuming liqmon.liq.>');
    const ingest = liqmon(['start', '-c', fixture('nats-ingest.yaml')], { env: env() });
    await ingest.waitFor('source started');

    // The same liquidation (one id) pushed until its alert shows: the repeats are dropped by id.
    const liquidation = { side: 'Buy' as const, size: '0.5', price: '60000', time: Date.now() };
    const timer = setInterval(() => fake.liquidation('linear', 'BTCUSDT', liquidation), 100);
    try {
      await alerting.waitFor('"symbol":"BTCUSDT"', 20_000);
    } finally {
      clearInterval(timer);
    }

    // A hostile message on the bus is counted and skipped; the next liquidation still alerts.
    const nc = await connect({ servers: nats.url });
    await jetstream(nc).publish('liqmon.liq.bybit.BTC', '{"id":"x","side":"SELL"}');
    await jetstream(nc).publish('liqmon.liq.bybit.BTC', 'not json');
    await nc.close();
    const second = { side: 'Sell' as const, size: '10', price: '3000', time: Date.now() };
    const again = setInterval(() => fake.liquidation('linear', 'ETHUSDT', second), 100);
    try {
      await alerting.waitFor('"symbol":"ETHUSDT"', 20_000);
    } finally {
      clearInterval(again);
    }

    ingest.child.kill('SIGTERM');
    expect(await ingest.exited).toBe(0);
    alerting.child.kill('SIGTERM');
    expect(await alerting.exited).toBe(0);
    expect(alertEvents(alerting.stdout()).map((e) => `${e.exchange}:${e.symbol}:${e.side}:${e.notionalUsd}`)).toEqual([
      'bybit:BTCUSDT:long:30000',
      'bybit:ETHUSDT:short:30000',
    ]);
    expect(alerting.stdout()).toContain('"source":"bus"');
    expect(alerting.stderr()).toContain('dropped a frame that cannot be decoded');
  }, 60_000);

  it('liqmon check-plugin passes for the NATS source and sink', async () => {
    const source = await liqmonRun(['check-plugin', 'packages/source-nats', '--golden', 'packages/source-nats/test/golden'], { cwd: REPO_ROOT });
    expect(source.code, source.stdout + source.stderr).toBe(0);
    const sink = await liqmonRun(['check-plugin', 'packages/sink-nats'], { cwd: REPO_ROOT });
    expect(sink.code, sink.stdout + sink.stderr).toBe(0);
  }, 60_000);
});
