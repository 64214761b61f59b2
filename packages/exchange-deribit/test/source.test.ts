/**
 * The Deribit source against the fake Deribit: what it sends (heartbeat, subscribe), its answers to
 * test_request, refused channels, a new listing picked up by refresh(), and reference data handed back.
 */
import { UnknownInstrumentError } from '@liqmon/core';
import { createSourceHarness, runSource, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import deribit from '../src/index.js';
import { DEFAULT_INSTRUMENTS, FakeDeribit } from '../src/testing/index.js';

let fake: FakeDeribit;
let run: SourceHarness | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
  await fake.close();
});

const options = (extra: Record<string, unknown> = {}) => ({ wsUrl: fake.wsUrl, restUrl: fake.restUrl, ...extra });
const liquidationFrame = (name: string) => ({
  channel: 'trades',
  data: JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel: 'trades.future.any.100ms', data: [{ trade_id: '9', timestamp: Date.now(), price: 2, liquidation: 'T', instrument_name: name, direction: 'sell', amount: 100 }] } }),
  receivedAt: Date.now(),
});

describe('Deribit source', () => {
  it('sets the heartbeat, subscribes every future on one channel, and turns a pushed MT trade into a long and a short', async () => {
    fake = await FakeDeribit.start();
    run = await runSource(deribit, options(), { name: 'drb' });
    expect(fake.requests.map((request) => `${request.method} ${JSON.stringify(request.params)}`)).toEqual([
      'public/set_heartbeat {"interval":30}',
      'public/subscribe {"channels":["trades.future.any.100ms"]}',
    ]);
    fake.liquidation('ETH-PERPETUAL', { liquidation: 'MT', direction: 'buy', amount: 30_000, price: 3_000 });
    const events = await run.waitForEvents(2);
    expect(events.map((event) => `${event.source}:${event.symbol}:${event.side}:${event.quantity}:${event.notionalUsd}`)).toEqual([
      'drb:ETH-PERPETUAL:short:10:30000', // the taker bought to close a short
      'drb:ETH-PERPETUAL:long:10:30000', // the maker sold to close a long
    ]);
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { trades: true } });
  });

  it('answers every test_request, so the fake never cuts it, and keeps heartbeats out of the frames', async () => {
    fake = await FakeDeribit.start({ heartbeatUnitMs: 10 }); // 10 s heartbeat = 100 ms here
    run = await runSource(deribit, options({ heartbeat: '10s' }), { name: 'drb' });
    await fake.server.waitFor(() => fake.testRequests >= 5, { timeout: 5_000 });
    expect(fake.heartbeatCuts).toEqual([]);
    expect(fake.requests.filter((request) => request.method === 'public/test').length).toBeGreaterThanOrEqual(4);
    expect(run.frames.some((frame) => frame.data.includes('heartbeat'))).toBe(false);
    expect((run.instance.health?.().details?.connection as { testRequests: number }).testRequests).toBeGreaterThanOrEqual(4);
  });

  it('logs channels Deribit leaves out of the subscribe result and counts them refused', async () => {
    fake = await FakeDeribit.start();
    run = await runSource(deribit, options({ symbols: ['BTC-PERPETUAL', 'NOPE-PERPETUAL'] }), { name: 'drb' });
    const health = run.instance.health?.().details?.connection as { subscribed: number; refused: Record<string, string> };
    expect(health.subscribed).toBe(1);
    expect(Object.keys(health.refused)).toEqual(['trades.NOPE-PERPETUAL.100ms']);
    expect(run.logs.some((line) => line.level === 40 && String(line.msg).includes('refused these channels'))).toBe(true);
  });

  it('prices a new listing once refresh() has fetched it (core calls it after UnknownInstrumentError)', async () => {
    fake = await FakeDeribit.start();
    const harness = createSourceHarness(deribit, options(), { name: 'drb' });
    try {
      await harness.prepare();
      expect(() => harness.instance.decode(liquidationFrame('XRP_USDC-PERPETUAL'))).toThrow(UnknownInstrumentError);
      fake.setInstruments([
        ...DEFAULT_INSTRUMENTS,
        { instrument_name: 'XRP_USDC-PERPETUAL', instrument_type: 'linear', base_currency: 'XRP', quote_currency: 'USDC', settlement_currency: 'USDC', contract_size: 1 },
      ]);
      await harness.instance.refresh?.();
      expect(harness.instance.decode(liquidationFrame('XRP_USDC-PERPETUAL'))).toMatchObject([{ base: 'XRP', quote: 'USDC', quantity: 100, notionalUsd: 200 }]);
    } finally {
      await harness.stop();
    }
  });

  it('hands its instrument list back through reference(), and prepare(reference) decodes offline with it', async () => {
    fake = await FakeDeribit.start();
    const live = createSourceHarness(deribit, options(), { name: 'drb' });
    await live.prepare();
    const reference = JSON.parse(JSON.stringify(live.instance.reference?.())) as unknown;
    await live.stop();
    const requests = fake.server.restRequests.length;

    const offline = createSourceHarness(deribit, options({ restUrl: 'http://127.0.0.1:9' }), { name: 'drb' });
    try {
      await offline.instance.prepare?.(reference);
      expect(fake.server.restRequests.length).toBe(requests);
      expect(offline.instance.decode(liquidationFrame('SOL_USDC-PERPETUAL'))).toMatchObject([{ base: 'SOL', side: 'long', notionalUsd: 200 }]);
    } finally {
      await offline.stop();
    }
  });
});
