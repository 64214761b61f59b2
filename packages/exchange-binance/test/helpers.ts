/** Shared test helpers: fixtures and a fake Binance built on @liqmon/core/testing. */
import { readFileSync } from 'node:fs';
import type { RawFrame } from '@liqmon/core';
import { FakeExchangeServer, type RestRoute } from '@liqmon/core/testing';
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
 * A fake Binance: liquidations are pushed only to clients under `/market/` (USD-M since 2026-04-23);
 * connections on the legacy root are accepted and then never get a liquidation, like the real one.
 * Serves /fapi/v1/exchangeInfo and /dapi/v1/exchangeInfo from the fixtures unless told otherwise.
 */
export async function startFakeBinance(rest: Record<string, RestRoute> = {}): Promise<FakeExchangeServer> {
  return FakeExchangeServer.start({
    rest: {
      '/fapi/v1/exchangeInfo': json('exchange-info.usdm.json'),
      '/dapi/v1/exchangeInfo': json('exchange-info.coinm.json'),
      ...rest,
    },
  });
}

/** Pushes a USD-M frame the way Binance does now: only on the /market tier. */
export const pushUsdm = (fake: FakeExchangeServer, data: string): number => fake.push(data, '/market/');
/** Pushes a COIN-M frame (dstream keeps the classic /stream path). */
export const pushCoinm = (fake: FakeExchangeServer, data: string): number => fake.push(data, '/stream');

/** Options pointing every endpoint of the source at fakes, with fast timings for tests. */
export function fakeOptions(usdm: FakeExchangeServer, coinm: FakeExchangeServer = usdm): Record<string, unknown> {
  return {
    usdmUrl: usdm.wsUrl,
    usdmRestUrl: usdm.httpUrl,
    coinmUrl: coinm.wsUrl,
    coinmRestUrl: coinm.httpUrl,
    reconnectDelay: '20ms',
    maxReconnectDelay: '200ms',
    startTimeout: '3s',
  };
}
