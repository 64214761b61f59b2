/** The fake Binance delivers a stream only to clients subscribed to it, by URL or SUBSCRIBE message. */
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeBinance } from '../../src/testing/index.js';

let fake: FakeBinance | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await fake?.close();
});

/** Polls: frames a client receives do not wake the fake's own waitFor. */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(predicate()).toBe(true);
}

async function connect(path: string): Promise<{ socket: WebSocket; frames: string[] }> {
  const socket = new WebSocket(`${fake!.usdmUrl}${path}`);
  sockets.push(socket);
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(String(data)));
  await new Promise((resolve) => socket.once('open', resolve));
  await fake!.server.waitForClients(sockets.length);
  return { socket, frames };
}

it('pushes a liquidation to clients subscribed to its symbol or to !forceOrder@arr, by URL', async () => {
  fake = await FakeBinance.start();
  const btc = await connect('/market/stream?streams=btcusdt@forceOrder');
  const all = await connect('/market/ws/!forceOrder@arr');
  const none = await connect('/market/stream');
  expect(fake.pushUsdm({ symbol: 'ETHUSDT' })).toBe(1);
  expect(fake.pushUsdm({ symbol: 'BTCUSDT' })).toBe(2);
  await until(() => all.frames.length === 2 && btc.frames.length === 1);
  expect(none.frames).toEqual([]);
});

it('subscribes and unsubscribes by message, answering as Binance does', async () => {
  fake = await FakeBinance.start();
  const client = await connect('/market/ws');
  expect(fake.pushUsdm()).toBe(0);
  client.socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['!forceOrder@arr'], id: 7 }));
  await until(() => client.frames.length === 1);
  expect(client.frames[0]).toBe('{"result":null,"id":7}');
  expect(fake.pushUsdm()).toBe(1);
  client.socket.send(JSON.stringify({ method: 'UNSUBSCRIBE', params: ['!forceOrder@arr'], id: 8 }));
  await until(() => client.frames.length === 3);
  expect(fake.pushUsdm()).toBe(0);
});

it('cuts a client that sends nothing for the idle timeout, and keeps one that pings', async () => {
  fake = await FakeBinance.start({ idleTimeout: 200 });
  const quiet = await connect('/market/ws/!forceOrder@arr');
  const pinging = await connect('/market/ws/!forceOrder@arr');
  const timer = setInterval(() => pinging.socket.ping(), 50);
  try {
    await new Promise((resolve) => quiet.socket.once('close', resolve));
    expect(fake.server.idleCuts).toEqual([1]);
    await until(() => fake!.server.clients.size === 1);
  } finally {
    clearInterval(timer);
  }
});
