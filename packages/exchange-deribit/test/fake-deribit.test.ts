/**
 * The fake Deribit behaves like Deribit where a source can get it wrong: it cuts a client that leaves a
 * test_request unanswered, refuses `raw` channels to unauthenticated clients, refuses a heartbeat under
 * 10 s, and sends trades only to clients whose channels cover them.
 */
import { ReconnectingWebSocket } from '@liqmon/core/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDeribit } from '../src/testing/index.js';

let fake: FakeDeribit;
const clients: ReconnectingWebSocket[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await fake.close();
});

/** A bare client sending `requests` on connect and keeping what it receives; it never answers anything. */
async function bareClient(requests: object[]): Promise<{ received: string[]; closes: () => number }> {
  const received: string[] = [];
  let closes = 0;
  const client = new ReconnectingWebSocket({
    url: `${fake.wsUrl}/ws/api/v2`,
    staleAfter: false,
    probeAfter: false,
    backoff: { initialDelay: 60_000, maxDelay: 60_000 },
    onMessage: (data) => void received.push(data),
    onOpen: (connection) => {
      for (const request of requests) connection.send(request);
    },
  });
  client.on('close', () => void (closes += 1));
  clients.push(client);
  await client.start();
  return { received, closes: () => closes };
}
/** Polls: what clients receive is not an event of the fake's own. */
async function until(predicate: () => boolean): Promise<void> {
  for (let waited = 0; !predicate(); waited += 10) {
    if (waited > 3_000) throw new Error('condition not met in 3 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const rpc = (id: number, method: string, params: object) => ({ jsonrpc: '2.0', id, method, params });

describe('fake Deribit', () => {
  it('cuts a client that does not answer a test_request', async () => {
    fake = await FakeDeribit.start({ heartbeatUnitMs: 10 });
    const client = await bareClient([rpc(1, 'public/set_heartbeat', { interval: 10 })]);
    await fake.server.waitFor(() => fake.heartbeatCuts.length === 1, { timeout: 3_000 });
    expect(client.received).toContain('{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"test_request"}}');
    await until(() => client.closes() === 1);
  });

  it('refuses raw channels with error 13778, a heartbeat under 10 s, and leaves unknown channels out of the result', async () => {
    fake = await FakeDeribit.start();
    const client = await bareClient([
      rpc(1, 'public/subscribe', { channels: ['trades.BTC-PERPETUAL.raw'] }),
      rpc(2, 'public/set_heartbeat', { interval: 5 }),
      rpc(3, 'public/subscribe', { channels: ['trades.future.any.100ms', 'trades.NOPE.100ms'] }),
    ]);
    await until(() => client.received.length === 3);
    const answers = client.received.map((text) => JSON.parse(text) as { id: number; result?: unknown; error?: { code: number; message: string } });
    expect(answers[0]?.error).toEqual({ code: 13778, message: 'raw_subscriptions_not_available_for_unauthorized' });
    expect(answers[1]?.error?.code).toBe(-32602);
    expect(answers[2]?.result).toEqual(['trades.future.any.100ms']);
  });

  it('delivers a trade only to clients subscribed to a channel covering it, in that channel\'s name', async () => {
    fake = await FakeDeribit.start();
    const wildcard = await bareClient([rpc(1, 'public/subscribe', { channels: ['trades.future.any.agg2'] })]);
    const eth = await bareClient([rpc(1, 'public/subscribe', { channels: ['trades.ETH-PERPETUAL.100ms'] })]);
    const none = await bareClient([]);
    await fake.server.waitFor(() => fake.subscribedChannels().length === 2);
    expect(fake.liquidation('BTC-PERPETUAL')).toBe(1);
    expect(fake.liquidation('ETH-PERPETUAL')).toBe(2);
    await until(() => wildcard.received.length === 3 && eth.received.length === 2);
    expect(wildcard.received.slice(1).map((text) => (JSON.parse(text) as { params: { channel: string } }).params.channel)).toEqual(['trades.future.any.agg2', 'trades.future.any.agg2']);
    expect(none.received).toEqual([]);
  });
});
