/** The NATS sink against a real nats-server with JetStream: what lands in the stream, and under which id. */
import { DeliveryError, type Liquidation } from '@liqmon/core';
import { createSinkHarness, sampleAlert, sampleLiquidation } from '@liqmon/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nats, { liquidationJson, type NatsMessage } from '../src/index.js';
import { startNatsServer, type NatsServer } from '../src/testing/index.js';
import { readStream } from './bus-reader.js';

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(() => server?.stop());

let streams = 0;
/** A sink on a stream of its own, so the tests do not see each other's messages. */
function sinkOn(options: Record<string, unknown> = {}) {
  const stream = `T${++streams}`;
  const prefix = `t${streams}`;
  const harness = createSinkHarness<NatsMessage>(nats, { servers: server.url, stream, subjectPrefix: prefix, ...options });
  return { ...harness, stream, prefix };
}

const event = (overrides: Partial<Liquidation>) => sampleLiquidation({ time: 1_764_806_400_000, ...overrides });

describe('nats sink', () => {
  it('publishes every liquidation to <prefix>.liq.<exchange>.<base> as its documented JSON, with its id as Nats-Msg-Id', async () => {
    const sink = sinkOn();
    try {
      const btc = event({ id: 'binance:usdm:BTCUSDT:1' });
      const eth = event({ id: 'bybit:linear:ETHUSDT:2', exchange: 'bybit', market: 'linear', symbol: 'ETHUSDT', base: 'ETH' });
      await sink.instance.send(sink.instance.render([sampleAlert(btc), sampleAlert(eth)]), 'default', new AbortController().signal);
      const stored = await readStream(server.url, sink.stream);
      expect(stored).toEqual([
        { subject: `${sink.prefix}.liq.binance.BTC`, json: btc, msgId: btc.id },
        { subject: `${sink.prefix}.liq.bybit.ETH`, json: eth, msgId: eth.id },
      ]);
      expect(Object.keys(stored[0]?.json as object)).toEqual(Object.keys(JSON.parse(liquidationJson(btc)) as object));
    } finally {
      await sink.instance.stop?.();
    }
  });

  it('stores a liquidation once, however often it is sent (a retry, two rules, two ingest instances)', async () => {
    const sink = sinkOn();
    const other = createSinkHarness<NatsMessage>(nats, { servers: server.url, stream: sink.stream, subjectPrefix: sink.prefix });
    try {
      const one = event({ id: 'binance:usdm:BTCUSDT:dup' });
      const message = sink.instance.render([sampleAlert(one), sampleAlert(one, 'other-rule')]);
      expect(message.publishes).toHaveLength(1);
      await sink.instance.send(message, 'default', new AbortController().signal);
      await sink.instance.send(message, 'default', new AbortController().signal);
      await other.instance.send(other.instance.render([sampleAlert(one)]), 'default', new AbortController().signal);
      expect(await readStream(server.url, sink.stream)).toHaveLength(1);
    } finally {
      await sink.instance.stop?.();
      await other.instance.stop?.();
    }
  });

  it('escapes bases that are not subject-safe, so a hostile symbol cannot publish to a wildcard or another subject', async () => {
    const sink = sinkOn();
    try {
      const bases = ['BTC.X', 'A B', '*', '>', '50%', '币'];
      const alerts = bases.map((base, index) => sampleAlert(event({ id: `x:${index}`, base })));
      await sink.instance.send(sink.instance.render(alerts), 'default', new AbortController().signal);
      const subjects = (await readStream(server.url, sink.stream)).map((m) => m.subject);
      const p = `${sink.prefix}.liq.binance`;
      expect(subjects).toEqual([`${p}.BTC%2EX`, `${p}.A%20B`, `${p}.%2A`, `${p}.%3E`, `${p}.50%25`, `${p}.%E5%B8%81`]);
    } finally {
      await sink.instance.stop?.();
    }
  });

  it('with alerts: true also publishes each alert to <prefix>.alert.<kind>.<rule>', async () => {
    const sink = sinkOn({ alerts: true });
    try {
      const alert = sampleAlert(event({ id: 'a:1' }), 'majors');
      const message = sink.instance.render([alert]);
      await sink.instance.send(message, 'default', new AbortController().signal);
      await sink.instance.send(message, 'default', new AbortController().signal);
      const stored = await readStream(server.url, sink.stream);
      expect(stored.map((m) => m.subject)).toEqual([`${sink.prefix}.liq.binance.BTC`, `${sink.prefix}.alert.liquidation.majors`]);
      expect(stored[1]?.json).toEqual(JSON.parse(JSON.stringify(alert)));
    } finally {
      await sink.instance.stop?.();
    }
  });

  it('uses a stream that already exists, and says how to fix one that does not hold the prefix', async () => {
    const sink = sinkOn({ stream: 'OTHER', subjectPrefix: 'elsewhere' });
    const wrong = sinkOn({ stream: 'OTHER' });
    try {
      await sink.instance.send(sink.instance.render([sampleAlert(event({ id: 'o:1' }))]), 'default', new AbortController().signal);
      const failure = await wrong.instance.send(wrong.instance.render([sampleAlert(event({ id: 'o:2' }))]), 'default', new AbortController().signal).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DeliveryError);
      expect((failure as DeliveryError).kind).toBe('fatal');
      expect((failure as DeliveryError).message).toContain(`the JetStream stream "OTHER" exists but does not hold ${wrong.prefix}.>`);
    } finally {
      await sink.instance.stop?.();
      await wrong.instance.stop?.();
    }
  });

  it('refuses options that cannot work, naming the key', () => {
    expect(() => createSinkHarness(nats, { user: 'liqmon' })).toThrow(/give both user and pass/);
    expect(() => createSinkHarness(nats, { token: 't', user: 'u', pass: 'p' })).toThrow(/either token or user\/pass/);
    expect(() => createSinkHarness(nats, { subjectPrefix: 'a.*' })).toThrow(/subjectPrefix/);
    expect(() => createSinkHarness(nats, { servers: 'http://x' })).toThrow(/NATS server URL/);
    expect(() => createSinkHarness(nats, { stream: 'a.b' })).toThrow(/stream name/);
  });
});

describe('the nats-server test helper', () => {
  it('fails with how to install nats-server when the binary is missing, rather than skipping', async () => {
    await expect(startNatsServer({ binary: '/nonexistent/nats-server' })).rejects.toThrow(/nats-server is not installed .*apt-get install -y nats-server/);
  });
});

describe('check-plugin', () => {
  it('passes (the sink check needs an HTTP sink and is skipped; these tests cover the bus)', async () => {
    const { checkPlugin, formatCheckResults } = await import('@liqmon/core/testing');
    const report = await checkPlugin({ definition: nats });
    expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  });
});
