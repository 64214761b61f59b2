// @ts-check
/**
 * A toy liqmon source. It "receives" one frame per `interval` from a fixed script of liquidations,
 * as a real exchange source receives WebSocket frames, and hands each frame to core with
 * `context.frame`. Core then calls `decode` (the same function serves live frames and `liqmon replay`),
 * so all the source must do is: produce frames, and turn one frame into liquidations.
 *
 * Frame format of this toy exchange: {"sym":"BTCUSDT","pos":"long","qty":"2","px":"50000","ts":1700000000000}
 */
import { defineSource, duration, MalformedFrameError, z } from '@liqmon/core';

const SCRIPT = [
  { sym: 'BTCUSDT', pos: 'long', qty: '2', px: '50000' },
  { sym: 'ETHUSDT', pos: 'short', qty: '40', px: '3000' },
  { sym: 'DOGEUSDT', pos: 'long', qty: '100000', px: '0.1' },
];

export default defineSource({
  name: 'toy',
  description: 'Replays a fixed script of liquidations (an example for plugin authors)',
  options: z.object({
    /** Time between frames. @default 100ms */
    interval: duration().default(100),
    /** Frames to send before going quiet; 0 = forever. @default 0 */
    count: z.number().int().nonnegative().default(0),
  }),
  create(options, context) {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    let sent = 0;
    let lastMessageAt = 0;
    return {
      async start() {
        timer = setInterval(() => {
          if (options.count > 0 && sent >= options.count) return;
          const step = SCRIPT[sent % SCRIPT.length];
          sent++;
          lastMessageAt = Date.now();
          context.frame({ channel: 'main', data: JSON.stringify({ ...step, ts: lastMessageAt }), receivedAt: lastMessageAt });
        }, options.interval);
      },
      async stop() {
        clearInterval(timer);
      },
      decode(frame) {
        /** @type {any} */
        let msg;
        try {
          msg = JSON.parse(frame.data);
        } catch {
          throw new MalformedFrameError('toy frame is not JSON');
        }
        const quantity = Number(msg.qty);
        const price = Number(msg.px);
        if (!Number.isFinite(quantity) || !Number.isFinite(price) || typeof msg.sym !== 'string') {
          throw new MalformedFrameError('toy frame without sym/qty/px');
        }
        const base = msg.sym.replace(/USDT$/, '');
        return [
          {
            id: `toy:${msg.sym}:${msg.ts}:${msg.qty}`,
            exchange: 'toy',
            market: 'spot',
            symbol: msg.sym,
            base,
            quote: 'USDT',
            side: msg.pos === 'short' ? 'short' : 'long',
            price,
            priceKind: 'fill',
            quantity,
            notionalUsd: quantity * price,
            time: msg.ts,
            receivedAt: frame.receivedAt,
            sampled: false,
            source: context.name,
          },
        ];
      },
      health() {
        return { connected: timer !== undefined, lastMessageAt, reconnects: 0 };
      },
    };
  },
});
