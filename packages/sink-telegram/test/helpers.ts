/** Test helpers: the sink built as core builds it, against a FakeTelegram, with logs kept in memory. */
import { createFormatter, type Alert, type FormatOptions, type Liquidation, type SinkInstance } from '@liqmon/core';
import { createMemoryLogger, FAKE_TELEGRAM_TOKEN, sampleLiquidation, type FakeTelegram, type LogLine } from '@liqmon/core/testing';
import telegram, { createTelegramSink, type PacerClock } from '../src/index.js';

export { FAKE_TELEGRAM_TOKEN };

/** Options parsed by the sink's schema, pointing at the fake, with pacing off unless given. */
export function sinkOptions(fake: FakeTelegram | { apiUrl: string }, extra: Record<string, unknown> = {}) {
  return telegram.options.parse({ token: FAKE_TELEGRAM_TOKEN, chatId: '1001', apiUrl: fake.apiUrl, pacing: { chat: '0ms', group: '0ms' }, ...extra });
}

export interface Harness {
  sink: SinkInstance<string>;
  lines: LogLine[];
  secrets: string[];
  /** Every log line, as text. */
  logText(): string;
}

/** Create the sink with a memory logger and a secret registry, as core would (token registered first). */
export function createSink(
  fake: FakeTelegram | { apiUrl: string },
  extra: Record<string, unknown> = {},
  options: { clock?: PacerClock; format?: FormatOptions } = {},
): Harness {
  const { logger, lines } = createMemoryLogger('debug');
  const parsed = sinkOptions(fake, extra);
  const secrets: string[] = [parsed.token];
  const context = {
    name: 'telegram',
    logger,
    signal: new AbortController().signal,
    secrets: { add: (value: string | undefined) => void (value && secrets.push(value)) },
    formatter: createFormatter(options.format),
  };
  const sink = createTelegramSink(parsed, context, options.clock);
  return { sink, lines, secrets, logText: () => lines.map((line) => JSON.stringify(line)).join('\n') };
}

let seq = 0;

/** A realistic liquidation; any field can be overridden. */
export function liquidation(overrides: Partial<Liquidation> = {}): Liquidation {
  seq++;
  const price = overrides.price ?? 64_250.1;
  const notionalUsd = overrides.notionalUsd ?? 150_000;
  const time = Date.UTC(2024, 5, 1, 12, 34, 56) + seq * 1000;
  return sampleLiquidation({
    id: `binance:usdm:BTCUSDT:${seq}`,
    price,
    quantity: notionalUsd / price,
    notionalUsd,
    time,
    receivedAt: time + 40,
    source: 'binance',
    ...overrides,
  });
}

/** A single-liquidation alert. */
export function alert(overrides: Partial<Liquidation> = {}): Alert {
  return { rule: 'test', kind: 'liquidation', events: [liquidation(overrides)], createdAt: 0 };
}

/** The DeliveryError a promise rejects with. */
export async function failureOf(promise: Promise<unknown>): Promise<{ kind: string; message: string; hint?: string; retryAfterMs?: number; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { kind: string; message: string; hint?: string; retryAfterMs?: number; status?: number };
  }
  throw new Error('expected the send to fail');
}
