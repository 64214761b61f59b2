/**
 * NATS unreachable: the sink reports a retryable failure, core's outbox keeps the alerts and retries,
 * and once the server is back every liquidation is in the stream, each once. A wrong login is fatal
 * and says what to fix, without the secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_DELIVERY_OPTIONS, Delivery, DeliveryError } from '@liqmon/core';
import { createMemoryLogger, createSinkHarness, sampleAlert, sampleLiquidation } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import nats, { type NatsMessage } from '../src/index.js';
import { startNatsServer, type NatsServer } from '../src/testing/index.js';
import { readStream, until } from './bus-reader.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A server whose store survives its restarts (removed after the test). */
async function durableServer(port?: number, storeDir = mkdtempSync(path.join(tmpdir(), 'liqmon-nats-store-'))): Promise<NatsServer> {
  const server = await startNatsServer({ storeDir, ...(port ? { port } : {}) });
  cleanup.push(() => server.stop(), () => rmSync(storeDir, { recursive: true, force: true }));
  return server;
}

function deliveryTo(url: string) {
  const sink = createSinkHarness<NatsMessage>(nats, { servers: url, timeout: '1s' });
  const { logger, lines } = createMemoryLogger('warn');
  const delivery = new Delivery({
    sinks: [{ name: 'bus', instance: sink.instance, logger }],
    options: { ...DEFAULT_DELIVERY_OPTIONS, backoff: { min: 50, max: 200, factor: 2, jitter: 0 } },
    logger,
  });
  cleanup.push(async () => void (await delivery.drain(2_000)));
  return { delivery, lines };
}

const alertOf = (n: number) => sampleAlert(sampleLiquidation({ id: `binance:usdm:BTCUSDT:${n}`, time: 1_764_806_400_000 + n }), 'bus');

describe('nats sink when NATS is down', () => {
  it('keeps the alerts while the server is down at start, and delivers them all once it is up', async () => {
    const probe = await durableServer();
    const { port, storeDir } = probe;
    await probe.stop();
    const { delivery } = deliveryTo(probe.url);
    for (let n = 0; n < 20; n++) delivery.deliver(alertOf(n), ['bus']);
    await until(async () => delivery.stats().sinks['bus']?.destinations['default']?.retried ?? 0, (retried) => retried >= 2);
    await durableServer(port, storeDir);
    const stored = await until(() => readStream(probe.url), (messages) => messages.length >= 20);
    expect(stored.map((m) => m.msgId)).toEqual(Array.from({ length: 20 }, (_, n) => `binance:usdm:BTCUSDT:${n}`));
  });

  it('loses nothing and stores nothing twice when the server restarts in the middle of a burst', async () => {
    const first = await durableServer();
    const { delivery } = deliveryTo(first.url);
    for (let n = 0; n < 50; n++) delivery.deliver(alertOf(n), ['bus']);
    await until(() => readStream(first.url), (messages) => messages.length >= 50);
    await first.stop();
    for (let n = 50; n < 100; n++) delivery.deliver(alertOf(n), ['bus']);
    await until(async () => delivery.stats().sinks['bus']?.destinations['default']?.retried ?? 0, (retried) => retried >= 1);
    await durableServer(first.port, first.storeDir);
    const stored = await until(() => readStream(first.url), (messages) => messages.length >= 100);
    expect(stored.map((m) => m.msgId)).toEqual(Array.from({ length: 100 }, (_, n) => `binance:usdm:BTCUSDT:${n}`));
    const stats = delivery.stats().sinks['bus']?.destinations['default'];
    expect(stats).toMatchObject({ sent: 100, waiting: 0, folded: 0 });
  });

  it('stops on a wrong token with what to fix, and never shows the token', async () => {
    const storeDir = mkdtempSync(path.join(tmpdir(), 'liqmon-nats-store-'));
    const server = await startNatsServer({ storeDir, auth: { token: 's3cr3t-right' } });
    cleanup.push(() => server.stop(), () => rmSync(storeDir, { recursive: true, force: true }));
    const wrong = createSinkHarness<NatsMessage>(nats, { servers: server.url, token: 's3cr3t-wrong' });
    const failure = await wrong.instance.send(wrong.instance.render([alertOf(1)]), 'default', new AbortController().signal).catch((e: unknown) => e);
    await wrong.instance.stop?.();
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ kind: 'fatal' });
    expect((failure as DeliveryError).message).toContain('refused the login');
    expect((failure as DeliveryError).hint).toContain('`user`/`pass` or `token`');
    expect(`${(failure as DeliveryError).message} ${(failure as DeliveryError).hint}`).not.toContain('s3cr3t');
    expect(wrong.secrets).toContain('s3cr3t-wrong');

    const right = createSinkHarness<NatsMessage>(nats, { servers: server.url, token: 's3cr3t-right' });
    await right.instance.send(right.instance.render([alertOf(2)]), 'default', new AbortController().signal);
    await right.instance.stop?.();
    expect(await readStream(server.url, 'LIQMON', { token: 's3cr3t-right' })).toHaveLength(1);
  });
});
