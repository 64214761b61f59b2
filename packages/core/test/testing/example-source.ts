/**
 * A complete small source, used by docs/writing-a-source.md and by the kit's own tests.
 * Its exchange pushes `{"type":"liquidation","symbol":"BTCUSDT","side":"sell","qty":"0.5","price":"60000","ts":1700000000000}`.
 * (A real plugin imports from '@liqmon/core' and '@liqmon/core/ws' instead of the relative paths.)
 */
import { defineSource, duration, MalformedFrameError, z, type Liquidation, type RawFrame } from '../../src/index.js';
import { ReconnectingWebSocket } from '../../src/ws/index.js';

interface ExampleMessage {
  type?: unknown;
  symbol?: unknown;
  side?: unknown;
  qty?: unknown;
  price?: unknown;
  ts?: unknown;
}

function positive(value: unknown, field: string): number {
  const number = typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number <= 0) throw new MalformedFrameError(`example: "${field}" is not a positive number: ${String(value)}`);
  return number;
}

export default defineSource({
  name: 'example',
  description: 'Liquidations of the Example exchange',
  options: z.object({
    /** WebSocket URL of the feed. */
    url: z.string().default('wss://example.invalid/liquidations'),
    /** Replace the connection after this long without any frame or pong. @default 60s */
    staleAfter: duration().default(60_000),
  }),
  create(options, context) {
    const client = new ReconnectingWebSocket({
      name: `${context.name}/feed`,
      url: options.url,
      logger: context.logger,
      staleAfter: options.staleAfter,
      backoff: { initialDelay: 20, maxDelay: 200 },
      onOpen: (connection) => void connection.send({ op: 'subscribe', channel: 'liquidations' }),
      onMessage: (data, { receivedAt }) => context.frame({ channel: 'feed', data, receivedAt }),
      // Frames above the entry's maxFrameBytes (default 1 MiB) are refused unread and counted.
      maxFrameBytes: context.maxFrameBytes,
      onOversized: () => context.frameTooLarge(),
    });
    return {
      start: () => client.start(),
      stop: () => client.stop(),
      health: () => {
        const stats = client.stats();
        // `problem` says why it is not connected (`cannot connect: ENOTFOUND`) in the status summary.
        return { connected: stats.state === 'open', lastMessageAt: stats.lastMessageAt, reconnects: stats.reconnects, ...(stats.lastFailure ? { problem: stats.lastFailure } : {}) };
      },
      decode(frame: RawFrame): Liquidation[] {
        let message: ExampleMessage;
        try {
          message = JSON.parse(frame.data) as ExampleMessage;
        } catch (error) {
          throw new MalformedFrameError('example: frame is not JSON', { cause: error });
        }
        if (typeof message !== 'object' || message === null || message.type !== 'liquidation') return []; // acks, pongs
        const symbol = typeof message.symbol === 'string' ? message.symbol : '';
        if (!symbol.endsWith('USDT')) throw new MalformedFrameError(`example: unexpected symbol ${String(message.symbol)}`);
        const quantity = positive(message.qty, 'qty');
        const price = positive(message.price, 'price');
        const time = positive(String(message.ts), 'ts');
        // The exchange sends the liquidation ORDER's side: a sell order closes a long position.
        const side = message.side === 'sell' ? 'long' : message.side === 'buy' ? 'short' : undefined;
        if (!side) throw new MalformedFrameError(`example: unknown side ${String(message.side)}`);
        return [
          {
            id: `example:${symbol}:${time}:${String(message.side)}:${String(message.qty)}:${String(message.price)}`,
            exchange: 'example',
            market: 'linear',
            symbol,
            base: symbol.slice(0, -4),
            quote: 'USDT',
            side,
            price,
            priceKind: 'fill',
            quantity,
            notionalUsd: quantity * price,
            time,
            receivedAt: frame.receivedAt,
            sampled: false,
            source: context.name,
          },
        ];
      },
    };
  },
});
