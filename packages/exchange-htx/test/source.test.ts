/** The HTX source end to end against the package's fake HTX: gzip frames, ping/pong, subscribe answers, refresh, reconnect. */
import { SourceUnreachableError } from '@liqmon/core';
import { createSourceHarness, runSource, type SourceHarness } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import htx from '../src/index.js';
import { pongFor } from '../src/protocol.js';
import { FakeHtx, type FakeHtxOptions } from '../src/testing/index.js';

let fake: FakeHtx | undefined;
let run: SourceHarness | undefined;

afterEach(async () => {
  await run?.stop();
  await fake?.close();
  run = fake = undefined;
});

async function started(options: FakeHtxOptions = {}, sourceOptions: Record<string, unknown> = {}): Promise<{ fake: FakeHtx; run: SourceHarness }> {
  fake = await FakeHtx.start(options);
  run = await runSource(htx, { wsUrl: fake.wsUrl, restUrl: fake.restUrl, ...sourceOptions }, { name: 'htx-test' });
  return { fake, run };
}

describe('pongFor', () => {
  it('echoes the ping ts exactly as written, string or number, and answers nothing else', () => {
    expect(pongFor('{"op":"ping","ts":"1789670297217"}')).toBe('{"op":"pong","ts":"1789670297217"}');
    expect(pongFor('{"op":"ping","ts":1789670297217}')).toBe('{"op":"pong","ts":1789670297217}');
    expect(pongFor('{"op":"sub","cid":"1","topic":"public.*.liquidation_orders","ts":1789670297217,"err-code":0}')).toBeUndefined();
    expect(pongFor('{"op":"notify","topic":"public.ETH-USDT.liquidation_orders","ts":1,"data":[]}')).toBeUndefined();
  });
});

describe('HTX source against the fake HTX', () => {
  it('subscribes the wildcard topic with a cid, lists swaps and futures, and prices a gzip push like the live frame', async () => {
    const { fake, run } = await started({ contracts: ['BTC-USDT', 'ETH-USDT'] });
    expect(fake.requests.map(({ op, topic, cid }) => ({ op, topic, cid }))).toEqual([{ op: 'sub', topic: 'public.*.liquidation_orders', cid: '1' }]);
    expect(fake.server.restRequests).toEqual(['/linear-swap-api/v1/swap_contract_info?business_type=all']);
    expect(run.instance.health?.()).toMatchObject({ connected: true, feeds: { liquidation_orders: true } });

    // The live frame htx.jsonl L1: a buy of 500 contracts (5 ETH) at 2446.26, turnover 12231.3: a short.
    fake.liquidation('ETH-USDT', { direction: 'buy', volume: 500, price: 2446.26, created_at: 1789670297212 });
    // A sell without amount or turnover: 2,000 x 0.001 BTC = 2 BTC x 60,000 = 120,000 of a long.
    fake.liquidation('BTC-USDT', { direction: 'sell', volume: 2000, price: 60000, amount: null, trade_turnover: null });
    const [short, long] = await run.waitForEvents(2);
    expect(short).toMatchObject({ exchange: 'htx', market: 'linear', symbol: 'ETH-USDT', base: 'ETH', quote: 'USDT', side: 'short', price: 2446.26, priceKind: 'order', quantity: 5, notionalUsd: 12231.3, time: 1789670297212, sampled: false, source: 'htx-test' });
    expect(long).toMatchObject({ symbol: 'BTC-USDT', side: 'long', quantity: 2, notionalUsd: 120_000 });
  });

  it("answers HTX's pings with the same ts, string or number, so the fake never cuts it for missed pongs", async () => {
    const { fake, run } = await started({ pingInterval: 60_000, maxMissedPings: 2 });
    fake.ping('1789670297217');
    await fake.server.waitFor(() => (fake.pongs.get(1) ?? 0) === 1);
    fake.ping(1789670297218);
    await fake.server.waitFor(() => (fake.pongs.get(1) ?? 0) === 2);
    expect(fake.server.received.filter((message) => message.data.includes('pong')).map((message) => message.data)).toEqual([
      '{"op":"pong","ts":"1789670297217"}',
      '{"op":"pong","ts":1789670297218}',
    ]);
    fake.ping();
    fake.ping();
    await fake.server.waitFor(() => (fake.pongs.get(1) ?? 0) === 4);
    expect(fake.pingCuts).toEqual([]);
    // Pings are upkeep, not frames: nothing of them is recorded.
    expect(run.frames.some((frame) => frame.data.includes('"ping"'))).toBe(false);
    expect(run.instance.health?.()).toMatchObject({ connected: true, details: { connection: { pingsAnswered: 4 } } });
  });

  it('logs a refused subscription and says so in health', async () => {
    const { run } = await started({ rejectTopics: ['public.*.liquidation_orders'] });
    expect(run.logs.some((line) => line.level === 40 && String(line.msg).includes('HTX refused the liquidation_orders subscription'))).toBe(true);
    expect(run.instance.health?.()).toMatchObject({ connected: false, problem: expect.stringContaining('2011') });
  });

  it('throws UnknownInstrumentError for an unlisted contract, and prices it after refresh() lists it', async () => {
    const { fake, run } = await started({ contracts: ['BTC-USDT'] });
    fake.setContracts(['BTC-USDT', { code: 'NEW-USDT', size: 10 }]);
    fake.liquidation('NEW-USDT', { volume: 3, price: 2, amount: null, trade_turnover: null });
    // The harness, as core does, counts the frame as an unknown instrument (not a crash) and refreshes.
    await run.waitFor(() => run.unknownInstruments.length === 1);
    expect(run.unknownInstruments[0]?.instrument).toBe('NEW-USDT');
    expect(run.crashes).toEqual([]);

    await run.instance.refresh?.();
    fake.liquidation('NEW-USDT', { volume: 3, price: 2, amount: null, trade_turnover: null });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ symbol: 'NEW-USDT', base: 'NEW', quantity: 30, notionalUsd: 60 });
  });

  it('reconnects after a drop, subscribes again and delivers the next liquidation', async () => {
    const { fake, run } = await started({}, { staleAfter: '5s' });
    fake.dropAll();
    await fake.server.waitFor(() => fake.requests.length === 2, { message: 'no resubscribe after the drop' });
    expect(fake.requests[1]).toMatchObject({ op: 'sub', topic: 'public.*.liquidation_orders', cid: '2' });
    await run.waitFor(() => fake.subscribedTopics().some((topics) => topics.length === 1));
    fake.liquidation('BTC-USDT', { direction: 'buy', volume: 100, price: 50000 });
    const [event] = await run.waitForEvents(1);
    expect(event).toMatchObject({ side: 'short', quantity: 0.1, notionalUsd: 5000 });
  });

  it('emits only the configured symbols', async () => {
    const { fake, run } = await started({}, { symbols: ['ETH-USDT'] });
    fake.liquidation('BTC-USDT', { volume: 1, price: 50000 });
    fake.liquidation('ETH-USDT', { volume: 100, price: 3000 });
    const [event] = await run.waitForEvents(1);
    expect(event?.symbol).toBe('ETH-USDT');
    await run.waitFor(() => run.frames.filter((frame) => frame.data.includes('"notify"')).length === 2);
    expect(run.events).toHaveLength(1);
  });

  it('hands reference() to prepare(reference) of another instance, which then decodes with no REST request', async () => {
    const { fake, run } = await started();
    fake.liquidation('ETH-USDT', { volume: 7, price: 3000, amount: null, trade_turnover: null });
    const [live] = await run.waitForEvents(1);
    const reference = JSON.parse(JSON.stringify(run.instance.reference?.())) as unknown;

    const requestsBefore = fake.server.restRequests.length;
    const replay = createSourceHarness(htx, { restUrl: fake.restUrl }, { name: 'htx-test' });
    await replay.instance.prepare?.(reference);
    const [again] = replay.instance.decode(run.frames.find((frame) => frame.data.includes('"notify"'))!);
    expect(fake.server.restRequests).toHaveLength(requestsBefore);
    expect(again).toEqual(live);
    await replay.stop();
  });

  it('refuses to start without the contract list, with an error core retries', async () => {
    fake = await FakeHtx.start();
    fake.server.setRest('/linear-swap-api/v1/swap_contract_info', { status: 'error', err_code: 1000, err_msg: 'System error', ts: 1 });
    await expect(runSource(htx, { wsUrl: fake.wsUrl, restUrl: fake.restUrl })).rejects.toBeInstanceOf(SourceUnreachableError);
    expect(fake.server.connections).toEqual([]);
  });
});
