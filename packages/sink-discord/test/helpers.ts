/** Shared test helpers: a Discord sink instance wired to a memory logger, and realistic alerts. */
import { createFormatter, DeliveryError, type Alert, type Liquidation, type Logger, type SinkContext, type SinkInstance, type DiscordMessage } from '@liqmon/core';
import { createMemoryLogger, sampleLiquidation, type LogLine } from '@liqmon/core/testing';
import discord, { createDiscordSink, type DiscordOptionsInput, type DiscordSinkDeps } from '../src/index.js';

/** 2024-06-01T12:34:56.000Z */
export const T0 = Date.UTC(2024, 5, 1, 12, 34, 56);

/** A Binance USD-M liquidation; `i` makes its id and time unique (time = T0 + i seconds). */
export function liquidation(i: number, overrides: Partial<Liquidation> = {}): Liquidation {
  return sampleLiquidation({
    id: `binance:usdm:BTCUSDT:${T0 + i}`,
    side: i % 2 === 0 ? 'long' : 'short',
    price: 64_250.1,
    quantity: 2,
    notionalUsd: 128_500.2,
    time: T0 + i * 1000,
    receivedAt: T0 + i * 1000 + 40,
    source: 'binance',
    ...overrides,
  });
}

export function alert(i: number, overrides: Partial<Liquidation> = {}): Alert {
  return { kind: 'liquidation', rule: 'majors', events: [liquidation(i, overrides)], createdAt: T0 + i * 1000 };
}

/** A sink built as core builds it: options validated by the plugin's schema, secrets and logs captured. */
export function makeSink(
  input: DiscordOptionsInput,
  deps: DiscordSinkDeps = {},
): { sink: SinkInstance<DiscordMessage>; lines: LogLine[]; secrets: string[]; logger: Logger; context: SinkContext } {
  const { logger, lines } = createMemoryLogger('debug');
  const secrets: string[] = [];
  const abort = new AbortController();
  const options = discord.options.parse(input);
  for (const key of discord.secrets ?? []) secrets.push(String(options[key]));
  const context: SinkContext = { name: 'discord', logger, signal: abort.signal, secrets: { add: (v: string | undefined) => void (v && secrets.push(v)) }, formatter: createFormatter() };
  const sink: SinkInstance<DiscordMessage> = createDiscordSink(options, context, deps);
  return { sink, lines, secrets, logger, context };
}

/** Send and return the DeliveryError thrown (fails the test if it resolves or throws something else). */
export async function sendError(sink: SinkInstance<DiscordMessage>, message: DiscordMessage): Promise<DeliveryError> {
  try {
    await sink.send(message, 'default', new AbortController().signal);
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error('send succeeded');
}

/** Every text a user or a log reader could see of an error. */
export const errorText = (error: DeliveryError): string => `${error.message}\n${error.hint ?? ''}\n${error.stack ?? ''}`;

export const logText = (lines: LogLine[]): string => lines.map((line) => JSON.stringify(line)).join('\n');
