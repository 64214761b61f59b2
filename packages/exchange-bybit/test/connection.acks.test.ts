/** How one connection reads acks: refusals are narrowed to the refused topics, the rest carry on. */
import { createMemoryLogger } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BybitConnection } from '../src/connection.js';
import { ScriptedSocket } from './scripted-socket.js';

const topics = Array.from({ length: 8 }, (_, i) => `allLiquidation.C${i}USDT`);
const BAD = 'allLiquidation.C5USDT';

interface Request {
  op: string;
  args: string[];
  req_id: string;
}

/**
 * A connection whose server answers subscribes with `answer` (no answer at all when it returns
 * undefined), recording the subscribed topics and the sockets opened.
 */
function setup(answer: (request: Request, subscribed: Set<string>) => { success: boolean; ret_msg: string } | undefined) {
  const subscribed = new Set<string>();
  const requests: Request[] = [];
  const sockets: ScriptedSocket[] = [];
  const connection = new BybitConnection({
    category: 'linear',
    url: 'ws://fake/v5/public/linear',
    name: 'linear#1',
    topics,
    onFrame: () => undefined,
    logger: createMemoryLogger('silent').logger,
    ws: {
      createSocket: () => {
        const socket = new ScriptedSocket();
        sockets.push(socket);
        socket.onSend = (data) => {
          const request = JSON.parse(data) as Request;
          if (request.op !== 'subscribe') return;
          requests.push(request);
          const reply = answer(request, subscribed);
          if (!reply) return;
          if (reply.success) for (const topic of request.args) subscribed.add(topic);
          setTimeout(() => socket.receive({ ...reply, conn_id: 'x', req_id: request.req_id, op: 'subscribe' }), 0);
        };
        return socket;
      },
    },
  });
  return { connection, subscribed, requests, sockets };
}

describe('BybitConnection acks', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => stop?.());

  it('when Bybit names no topic, splits the refused batch until the culprit is alone', async () => {
    const { connection, subscribed, requests } = setup((request) =>
      request.args.includes(BAD) ? { success: false, ret_msg: 'error:params error' } : { success: true, ret_msg: '' },
    );
    stop = () => connection.stop();
    await connection.start();
    expect([...subscribed].sort()).toEqual(topics.filter((t) => t !== BAD).sort());
    expect(Object.keys(connection.health().refused)).toEqual([BAD]);
    expect(requests.at(-1)?.args).toEqual([BAD]);
  });

  it('when Bybit names the topic, subscribes the rest of the batch again at once', async () => {
    const { connection, subscribed, requests } = setup((request) =>
      request.args.includes(BAD) ? { success: false, ret_msg: `error:handler not found,topic:${BAD}` } : { success: true, ret_msg: '' },
    );
    stop = () => connection.stop();
    await connection.start();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.args).toEqual(topics.filter((t) => t !== BAD));
    expect(subscribed.size).toBe(7);
    expect(connection.health()).toMatchObject({ subscribed: 7, refused: { [BAD]: `error:handler not found,topic:${BAD}` } });
  });

  it('counts a topic whose frames arrive as subscribed, even when its ack never comes', async () => {
    const { connection, sockets } = setup(() => undefined);
    stop = () => connection.stop();
    void connection.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(connection.health().subscribed).toBe(0);
    const frame = (topic: string) => ({ topic, type: 'snapshot', ts: 1, data: [{ T: 1, s: 'X', S: 'Buy', v: '1', p: '1' }] });
    sockets[0]!.receive(frame(topics[2]!));
    sockets[0]!.receive(frame(topics[2]!));
    sockets[0]!.receive(frame(topics[6]!));
    sockets[0]!.receive(frame('allLiquidation.NOTOURS'));
    expect(connection.health()).toMatchObject({ topics: 8, subscribed: 2 });
  });

  it('counts "already subscribed" as subscribed', async () => {
    const { connection } = setup(() => ({ success: false, ret_msg: `error:already subscribed,topic:${topics[0]}` }));
    stop = () => connection.stop();
    await connection.start();
    expect(connection.health()).toMatchObject({ subscribed: 8, refused: {} });
  });
});
