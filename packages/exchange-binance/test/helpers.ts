/** Shared test helpers: fixtures and a fake Binance built on @liqmon/core/testing. */
import { readFileSync } from 'node:fs';
import type { RawFrame } from '@liqmon/core';
import { FakeBinance, type FakeBinanceOptions } from '@liqmon/core/testing';
import { InstrumentBook, parseExchangeInfo } from '../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Lines of a .jsonl fixture, verbatim. */
export const lines = (name: string): string[] => fixture(name).split('\n').filter((line) => line.trim() !== '');

/** Parsed JSON fixture. */
export const json = (name: string): unknown => JSON.parse(fixture(name));

/** An instrument book loaded from the exchange info fixtures. */
export function loadedBook(): InstrumentBook {
  const book = new InstrumentBook();
  book.set('usdm', parseExchangeInfo(json('exchange-info.usdm.json')));
  book.set('coinm', parseExchangeInfo(json('exchange-info.coinm.json')));
  return book;
}

export const frame = (channel: string, data: string, receivedAt = 1_800_000_000_000): RawFrame => ({ channel, data, receivedAt });

/**
 * A fake Binance (from @liqmon/core/testing) serving the exchange info fixtures. USD-M liquidations
 * reach only clients under `/market/`; the legacy root accepts and stays silent, like the real one.
 */
export function startFakeBinance(options: FakeBinanceOptions = {}): Promise<FakeBinance> {
  return FakeBinance.start({
    usdmExchangeInfo: json('exchange-info.usdm.json'),
    coinmExchangeInfo: json('exchange-info.coinm.json'),
    ...options,
  });
}

/** Options pointing every endpoint of the source at the fake, with fast timings for tests. */
export function fakeOptions(fake: FakeBinance, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fake.endpoints(), reconnectDelay: '20ms', maxReconnectDelay: '200ms', startTimeout: '3s', ...extra };
}
