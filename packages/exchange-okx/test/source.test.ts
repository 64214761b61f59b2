/** The OKX source end to end against the package's fake OKX: subscribe, acks, refusals, refresh, replays, reconnect. */
import { SourceUnreachableError } from '@liqmon/core';
import { createSourceHarness, runSource, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import okx from '../src/index.js';
import { FakeOkx, type FakeOkxOptions } from '../src/testing/index.js';

let fake: FakeOkx | undefined;
let run: SourceHarness | undefined;

afterEach(async () => {
  await run?.stop();
  await fake?.close();
  run = fake = undefined;
});

async function started(options: FakeOkxOptions = {}, sourceOptions: Record<string, unknown> = {}): Promise<{ fake: FakeOkx; run: SourceHarness }> {
  fake = await FakeOkx.start(options);
  run = await runSource(okx, { wsUrl: fake.wsUrl, restUrl: fake.restUrl, ...sourceOptions }, { name: 'okx-test' });
  return { fake, run };
}

describe('OKX source against the fake OKX', () => {
  it('subscribes liquidation-orders of SWAP and FUTURES by instType, each with an id, and prices a push with the listed contract value', async () => {
    const { fake, run } = await started({ instruments: ['BTC-USDT-SWAP', 'BTC-USD-SWAP'] });
    expect(fake.requests.map((request) => ({ op: request.op, id: request.id, args: request.args }))).toEqual([
      { op: 'subscribe', id: '1', args: [{ channel: 'liquidation-orders', instType: 'SWAP' }] },
      { op: 'subscribe', id: '2', args: [{ channel: 'liquidation-orders', instType: 'FUTURES' }] },
    ]);
    expect(fake.server.restRequests.sort()).toEqual(['/api/v5/public/instruments?instType=FUTURES', '/api/v5/public/instruments?instType=SWAP']);
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { SWAP: true, FUTURES: true } });

    // 8.55 contracts x 0.01 BTC = 0.0855 BTC of a long, x 82655.7 = 7067.06 USDT (the live frame okx.jsonl L5).
    fake.liquidation('BTC-USDT-SWAP', { posSide: 'long', side: 'sell', sz: '8.55', bkPx: '82655.7' });
    // Inverse: 250 contracts x 100 USD = 25,000 USD, 0.4 BTC at 62,500; net mode, a buy closes a short.
    fake.liquidation('BTC-USD-SWAP', { posSide: 'net', side: 'buy', sz: '250', bkPx: '62500' });
    const [linear, inverse] = await run.waitForEvents(2);
    expect(linear).toMatchObject({ exchange: 'okx', market: 'linear', symbol: 'BTC-USDT-SWAP', base: 'BTC', quote: 'USDT', side: 'long', priceKind: 'bankruptcy', sampled: true, source: 'okx-test' });
    expect(linear?.quantity).toBeCloseTo(0.0855, 12);
    expect(linear?.notionalUsd).toBeCloseTo(7067.06235, 6);
    expect(inverse).toMatchObject({ market: 'inverse', base: 'BTC', quote: 'USD', side: 'short', notionalUsd: 25_000, quantity: 0.4 });
  });

  it('keeps the subscribed type when OKX refuses the other, and says which one was refused', async () => {
    const { fake, run } = await started({ rejectTypes: ['FUTURES'] });
    expect(run.logs.some((line) => line.level === 40 && String(line.msg).includes('OKX refused the FUTURES liquidation channel'))).toBe(true);
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { SWAP: true, FUTURES: false }, details: { connection: { refused: { FUTURES: expect.stringContaining('60018') } } } });
    fake.liquidation('BTC-USDT-SWAP', { sz: '1', bkPx: '60000' });
    await run.waitForEvents(1);
  });

  it('throws UnknownInstrumentError for an unlisted instrument, and prices it after refresh() lists it', async () => {
    const { fake, run } = await started({ instruments: ['BTC-USDT-SWAP'] });
    fake.setInstruments(['BTC-USDT-SWAP', { instId: 'NEW-USDT-SWAP', ctVal: '10' }]);
    fake.liquidation('NEW-USDT-SWAP', { sz: '3', bkPx: '2' });
    // The harness, as core does, counts the frame as an unknown instrument (not a crash) and refreshes.
    await run.waitFor(() => run.unknownInstruments.length === 1);
    expect(run.unknownInstruments[0]?.instrument).toBe('NEW-USDT-SWAP');
    expect(run.crashes).toEqual([]);

    await run.instance.refresh?.();
    fake.liquidation('NEW-USDT-SWAP', { sz: '3', bkPx: '2' });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ symbol: 'NEW-USDT-SWAP', base: 'NEW', quantity: 30, notionalUsd: 60 });
  });

  it('drops a first push whose liquidations all predate the subscribe (OKX replays one), and not the next ones', async () => {
    const { fake, run } = await started();
    fake.liquidation('BTC-USDT-SWAP', { sz: '1', bkPx: '60000', ts: Date.now() - 60_000 });
    fake.liquidation('BTC-USDT-SWAP', { sz: '2', bkPx: '60000' });
    const [event] = await run.waitForEvents(1);
    expect(event?.quantity).toBeCloseTo(0.02, 12);
    expect(run.frames.filter((frame) => frame.data.includes('"details"'))).toHaveLength(1);
    expect(run.instance.health?.()).toMatchObject({ details: { connection: { replaysDropped: 1 } } });
  });

  it('reconnects after a drop, subscribes both types again and delivers the next liquidation', async () => {
    const { fake, run } = await started({}, { staleAfter: '5s' });
    fake.dropAll();
    await fake.server.waitFor(() => fake.requests.length === 4, { message: 'no resubscribe after the drop' });
    expect(fake.requests.slice(2).map((request) => request.args)).toEqual([
      [{ channel: 'liquidation-orders', instType: 'SWAP' }],
      [{ channel: 'liquidation-orders', instType: 'FUTURES' }],
    ]);
    await run.waitFor(() => fake.subscribedTypes().some((types) => types.length === 2));
    fake.liquidation('BTC-USD-SWAP', { posSide: 'short', sz: '1', bkPx: '50000' });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ side: 'short', notionalUsd: 100 });
  });

  it('emits only the configured markets and symbols', async () => {
    const { fake, run } = await started({ instruments: ['BTC-USDT-SWAP', 'ETH-USDT-SWAP', 'BTC-USD-SWAP'] }, { markets: ['linear'], symbols: ['ETH-USDT-SWAP'] });
    fake.liquidation('BTC-USD-SWAP', { sz: '1', bkPx: '50000' });
    fake.liquidation('BTC-USDT-SWAP', { sz: '1', bkPx: '50000' });
    fake.liquidation('ETH-USDT-SWAP', { sz: '1', bkPx: '3000' });
    const [event] = await run.waitForEvents(1);
    expect(event?.symbol).toBe('ETH-USDT-SWAP');
    await run.waitFor(() => run.frames.filter((frame) => frame.data.includes('"details"')).length === 3);
    expect(run.events).toHaveLength(1);
  });

  it('hands reference() to prepare(reference) of another instance, which then decodes with no REST request', async () => {
    const { fake, run } = await started({ instruments: ['BTC-USD-SWAP'] });
    fake.liquidation('BTC-USD-SWAP', { sz: '5', bkPx: '50000' });
    const [live] = await run.waitForEvents(1);
    const reference = JSON.parse(JSON.stringify(run.instance.reference?.())) as unknown;

    const requestsBefore = fake.server.restRequests.length;
    const replay = createSourceHarness(okx, { restUrl: fake.restUrl }, { name: 'okx-test' });
    await replay.instance.prepare?.(reference);
    const [again] = replay.instance.decode(run.frames.find((frame) => frame.data.includes('"details"'))!);
    expect(fake.server.restRequests).toHaveLength(requestsBefore);
    expect(again).toEqual(live);
    await replay.stop();
  });

  it('refuses to start without any instrument list, with an error core retries', async () => {
    fake = await FakeOkx.start();
    fake.server.setRest('/api/v5/public/instruments', { status: 503, body: { msg: 'busy' } });
    await expect(runSource(okx, { wsUrl: fake.wsUrl, restUrl: fake.restUrl })).rejects.toBeInstanceOf(SourceUnreachableError);
    expect(fake.server.connections).toEqual([]);
  });
});
