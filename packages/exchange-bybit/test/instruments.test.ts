import { HttpHeaders, type HttpRequester, type HttpResponse } from '@liqmon/core';
import { describe, expect, it } from 'vitest';
import { fetchInstruments, guessCategory, splitSymbol } from '../src/instruments.js';

/** An answer as core's HTTP client gives it. */
const answer = (status: number, text: string, statusText = ''): HttpResponse => ({ status, statusText, ok: status < 300, headers: new HttpHeaders(), text });

/** An HTTP client stub serving instruments-info pages keyed by cursor, recording every URL asked for. */
function pagedRequest(pages: Record<string, { list: unknown[]; next: string }>, requested: URL[]): HttpRequester {
  return async (input) => {
    const url = new URL(String(input));
    requested.push(url);
    const page = pages[url.searchParams.get('cursor') ?? ''];
    if (!page) return answer(404, 'no such page', 'Not Found');
    return answer(200, JSON.stringify({ retCode: 0, retMsg: 'OK', result: { category: 'linear', list: page.list, nextPageCursor: page.next } }));
  };
}

const instrument = (symbol: string, baseCoin: string, quoteCoin: string) => ({ symbol, baseCoin, quoteCoin, status: 'Trading' });

describe('fetchInstruments', () => {
  it('follows nextPageCursor across pages with limit=1000 and keeps baseCoin/quoteCoin', async () => {
    const requested: URL[] = [];
    const request = pagedRequest(
      {
        '': { list: [instrument('BTCUSDT', 'BTC', 'USDT'), instrument('1000PEPEUSDT', '1000PEPE', 'USDT')], next: 'p2' },
        p2: { list: [instrument('BTCPERP', 'BTC', 'USDC')], next: '' },
      },
      requested,
    );
    const list = await fetchInstruments({ restUrl: 'http://127.0.0.1:1', category: 'linear', request });
    expect(list).toEqual([
      { category: 'linear', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT' },
      { category: 'linear', symbol: '1000PEPEUSDT', base: '1000PEPE', quote: 'USDT' },
      { category: 'linear', symbol: 'BTCPERP', base: 'BTC', quote: 'USDC' },
    ]);
    expect(requested.map((url) => url.pathname + url.search)).toEqual([
      '/v5/market/instruments-info?category=linear&limit=1000',
      '/v5/market/instruments-info?category=linear&limit=1000&cursor=p2',
    ]);
  });

  it('stops when the server repeats a cursor instead of looping forever', async () => {
    const requested: URL[] = [];
    const request = pagedRequest(
      { '': { list: [instrument('A', 'A', 'USDT')], next: 'x' }, x: { list: [], next: 'x' } },
      requested,
    );
    await fetchInstruments({ restUrl: 'http://127.0.0.1:1', category: 'linear', request });
    expect(requested).toHaveLength(2);
  });

  it('reports a refusal (retCode != 0) with the URL and Bybit message', async () => {
    const request: HttpRequester = async () => answer(200, JSON.stringify({ retCode: 10001, retMsg: 'params error', result: {} }));
    await expect(fetchInstruments({ restUrl: 'http://127.0.0.1:1', category: 'inverse', request })).rejects.toThrow(
      /refused http:\/\/127\.0\.0\.1:1\/v5\/market\/instruments-info\?category=inverse.*10001 params error/,
    );
  });

  it('reports an HTTP error status', async () => {
    const request: HttpRequester = async () => answer(503, 'busy', 'Service Unavailable');
    await expect(fetchInstruments({ restUrl: 'http://127.0.0.1:1', category: 'linear', request })).rejects.toThrow(/503/);
  });

  it('reports an unreachable server with its origin', async () => {
    const request: HttpRequester = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    };
    await expect(fetchInstruments({ restUrl: 'http://127.0.0.1:1', category: 'linear', request })).rejects.toThrow(
      /Cannot reach Bybit at http:\/\/127\.0\.0\.1:1/,
    );
  });
});

describe('splitSymbol (fallback when instruments-info is unavailable)', () => {
  const cases: [string, 'linear' | 'inverse', string, string][] = [
    ['BTCUSDT', 'linear', 'BTC', 'USDT'],
    ['1000PEPEUSDT', 'linear', '1000PEPE', 'USDT'],
    ['ETHUSDC', 'linear', 'ETH', 'USDC'],
    ['BTCPERP', 'linear', 'BTC', 'USDC'],
    ['BTC-26DEC25', 'linear', 'BTC', 'USDC'],
    ['BTCUSDT-26DEC25', 'linear', 'BTC', 'USDT'],
    ['BTCUSD', 'inverse', 'BTC', 'USD'],
    ['ETHUSDH25', 'inverse', 'ETH', 'USD'],
    ['WEIRD', 'linear', 'WEIRD', ''],
  ];
  for (const [symbol, category, base, quote] of cases) {
    it(`${category} ${symbol} -> ${base}/${quote}`, () => expect(splitSymbol(symbol, category)).toEqual({ base, quote }));
  }

  it('guesses the category of explicit symbols', () => {
    expect(['BTCUSD', 'BTCUSDH25', 'BTCUSDT', 'BTCPERP'].map(guessCategory)).toEqual(['inverse', 'inverse', 'linear', 'linear']);
  });
});
