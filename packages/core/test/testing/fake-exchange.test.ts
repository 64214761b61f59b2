import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { FakeExchangeServer } from '../../src/testing/index.js';

let fake: FakeExchangeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function open(url: string): Promise<{ socket: WebSocket; frames: string[] }> {
  const socket = new WebSocket(url);
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(String(data)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, frames }));
    socket.once('error', reject);
  });
}

describe('FakeExchangeServer', () => {
  it('routes pushes by path, records client messages and lets handlers reply', async () => {
    fake = await FakeExchangeServer.start({ onClientMessage: (client, data) => client.send(`ack:${data}`) });
    const market = await open(`${fake.wsUrl}/market/ws/!forceOrder@arr`);
    const root = await open(`${fake.wsUrl}/ws/!forceOrder@arr`);
    await fake.waitForClients(2);
    expect(fake.push('liq', '/market/')).toBe(1);
    market.socket.send('hello');
    await vi.waitFor(() => expect(market.frames).toHaveLength(2));
    expect(market.frames).toEqual(['liq', 'ack:hello']);
    expect(root.frames).toEqual([]);
    expect(fake.received).toEqual([{ client: 1, path: '/market/ws/!forceOrder@arr', data: 'hello' }]);
    market.socket.close();
    root.socket.close();
  });

  it('pushes a burst in order to the matching clients only, and nothing while silent', async () => {
    fake = await FakeExchangeServer.start();
    const market = await open(`${fake.wsUrl}/market/ws/!forceOrder@arr`);
    const other = await open(`${fake.wsUrl}/coinm/ws/!forceOrder@arr`);
    await fake.waitForClients(2);
    const burst = Array.from({ length: 5000 }, (_, i) => `{"n":${i}}`);
    expect(fake.pushBurst([...burst, { n: 'object' }], '/market/')).toBe(1);
    await vi.waitFor(() => expect(market.frames).toHaveLength(5001));
    expect(market.frames).toEqual([...burst, '{"n":"object"}']);
    fake.goSilent();
    expect(fake.pushBurst(burst)).toBe(0);
    fake.resume();
    expect(other.frames).toEqual([]);
  });

  it('refuses paths it does not accept', async () => {
    fake = await FakeExchangeServer.start({ acceptPath: (path) => path.startsWith('/market') });
    await expect(open(`${fake.wsUrl}/ws`)).rejects.toThrow(/404/);
  });

  it('serves REST routes, failures and 404s, and logs requests', async () => {
    fake = await FakeExchangeServer.start({ rest: { '/info': { symbols: [] } } });
    fake.setRest('/down', { status: 503, body: { msg: 'maintenance' } });
    expect(await (await fetch(`${fake.httpUrl}/info?x=1`)).json()).toEqual({ symbols: [] });
    expect((await fetch(`${fake.httpUrl}/down`)).status).toBe(503);
    expect((await fetch(`${fake.httpUrl}/nope`)).status).toBe(404);
    expect(fake.restRequests).toEqual(['/info?x=1', '/down', '/nope']);
  });

  it('pings clients with pingInterval; a client that answers (ws pongs by itself) is never cut idle', async () => {
    fake = await FakeExchangeServer.start({ pingInterval: 40, idleTimeout: 200 });
    const answering = await open(`${fake.wsUrl}/v4/ws`);
    let pings = 0;
    answering.socket.on('ping', () => (pings += 1));
    const deaf = new WebSocket(`${fake.wsUrl}/v4/ws`, { autoPong: false });
    await new Promise((resolve) => deaf.once('open', resolve));
    await fake.waitFor(() => fake!.idleCuts.length === 1);
    expect(fake.idleCuts).toEqual([2]);
    expect(pings).toBeGreaterThan(3);
    expect(fake.clients.size).toBe(1);
    answering.socket.close();
  });

  it('answers pings unless silent, and drops every connection on demand', async () => {
    fake = await FakeExchangeServer.start();
    const { socket } = await open(fake.wsUrl);
    const pong = new Promise((resolve) => socket.once('pong', resolve));
    socket.ping();
    await pong;
    fake.goSilent();
    let ponged = false;
    socket.once('pong', () => (ponged = true));
    socket.ping();
    expect(fake.push('x')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ponged).toBe(false);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    fake.dropAll();
    await closed;
    await fake.waitFor(() => fake!.clients.size === 0);
    expect(fake.connections).toHaveLength(1);
  });
});
