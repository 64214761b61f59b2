/**
 * Instrument discovery: `GET /v5/market/instruments-info`, every page.
 *
 * Bybit returns 500 entries per page by default and at most 1000 (`limit`), and there are more than
 * 500 linear contracts, so the list must be walked with `cursor` = the previous page's
 * `nextPageCursor` until that comes back empty
 * (https://bybit-exchange.github.io/docs/v5/market/instrument, "Use cursor for pagination").
 * Without `status`, linear and inverse return the contracts that are trading now, which is exactly the
 * set worth subscribing.
 */
import { describeError, httpRequest, type HttpRequester, type HttpResponse } from '@liqmon/core';
import type { BybitCategory } from './options.js';

/** What decoding and subscribing need to know about one contract. */
export interface BybitInstrument {
  category: BybitCategory;
  /** Exchange-native symbol, e.g. `BTCUSDT`, `BTCUSD`, `BTCUSDH25`. */
  symbol: string;
  /** `baseCoin` from instruments-info, e.g. `BTC`, `1000PEPE`. */
  base: string;
  /** `quoteCoin` from instruments-info, e.g. `USDT`, `USDC`, `USD`. */
  quote: string;
}

/** Options of {@link fetchInstruments}. */
export interface FetchInstrumentsOptions {
  /** REST base URL, e.g. `https://api.bybit.com`. */
  restUrl: string;
  category: BybitCategory;
  signal?: AbortSignal;
  /** Injected for tests. @default core's `httpRequest` */
  request?: HttpRequester;
}

/** Bybit allows `limit` up to 1000 on this endpoint; the fewer pages, the fewer requests. */
const PAGE_LIMIT = 1000;
/** A safety stop against a server that keeps returning a cursor: 50 pages are 50,000 contracts. */
const MAX_PAGES = 50;
/** One request must not hang start-up or a refresh. */
const REQUEST_TIMEOUT_MS = 15_000;

/** Instrument listing failed; the message names the URL and says what to do. */
export class InstrumentsFetchError extends Error {
  /** HTTP status when Bybit answered with an error status (a 5xx or 429 is retried as a network failure). */
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InstrumentsFetchError';
    this.status = options?.status;
  }
}

/** List every trading contract of one category, following `nextPageCursor` across pages. */
export async function fetchInstruments(options: FetchInstrumentsOptions): Promise<BybitInstrument[]> {
  const request = options.request ?? httpRequest;
  const instruments: BybitInstrument[] = [];
  const seenCursors = new Set<string>();
  let cursor = '';
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const url = new URL('/v5/market/instruments-info', options.restUrl);
    url.searchParams.set('category', options.category);
    url.searchParams.set('limit', String(PAGE_LIMIT));
    if (cursor) url.searchParams.set('cursor', cursor);
    const body = await getJson(request, url, options.signal);
    const result = readPage(body, url);
    for (const item of result.list) {
      const instrument = readInstrument(item, options.category);
      if (instrument) instruments.push(instrument);
    }
    cursor = result.nextPageCursor;
    if (!cursor || seenCursors.has(cursor)) return instruments;
    seenCursors.add(cursor);
  }
  return instruments;
}

async function getJson(request: HttpRequester, url: URL, signal: AbortSignal | undefined): Promise<unknown> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: HttpResponse;
  try {
    response = await request(url, { signal: combined, headers: { accept: 'application/json' } });
  } catch (error) {
    throw new InstrumentsFetchError(`Cannot reach Bybit at ${url.origin} to list instruments: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new InstrumentsFetchError(`Bybit answered ${response.status} ${response.statusText} to ${url.href}`, { status: response.status });
  }
  try {
    return JSON.parse(response.text) as unknown;
  } catch (error) {
    throw new InstrumentsFetchError(`Bybit sent a body that is not JSON for ${url.href}`, { cause: error });
  }
}

interface Page {
  list: unknown[];
  nextPageCursor: string;
}

/** Bybit wraps every REST answer as `{ retCode, retMsg, result }`; retCode 0 means success. */
function readPage(body: unknown, url: URL): Page {
  if (!isRecord(body)) throw new InstrumentsFetchError(`Unexpected answer from ${url.href}: not an object`);
  if (body.retCode !== 0) {
    throw new InstrumentsFetchError(
      `Bybit refused ${url.href}: retCode ${String(body.retCode)} ${typeof body.retMsg === 'string' ? body.retMsg : ''}`.trim(),
    );
  }
  const result = body.result;
  if (!isRecord(result) || !Array.isArray(result.list)) {
    throw new InstrumentsFetchError(`Unexpected answer from ${url.href}: no result.list`);
  }
  const next = result.nextPageCursor;
  return { list: result.list, nextPageCursor: typeof next === 'string' ? next : '' };
}

function readInstrument(item: unknown, category: BybitCategory): BybitInstrument | undefined {
  if (!isRecord(item) || typeof item.symbol !== 'string' || item.symbol === '') return undefined;
  const fallback = splitSymbol(item.symbol, category);
  return {
    category,
    symbol: item.symbol,
    base: typeof item.baseCoin === 'string' && item.baseCoin ? item.baseCoin : fallback.base,
    quote: typeof item.quoteCoin === 'string' && item.quoteCoin ? item.quoteCoin : fallback.quote,
  };
}

/** Inverse futures carry a month code and a two-digit year after `USD`: `BTCUSDH25`. */
const INVERSE_RE = /^(.+?)USD(?:[FGHJKMNQUVXZ]\d{2})?$/;

/**
 * Base and quote guessed from the symbol alone, for when instruments-info is unavailable (replay
 * offline, REST down) or does not know a symbol. Covers Bybit's naming: `BTCUSDT`, `BTCPERP` (USDC
 * perpetual), `BTC-26DEC25` (USDC future), `BTCUSDT-26DEC25` (USDT future), `BTCUSD`, `BTCUSDH25`.
 * A symbol of no known shape is returned whole as the base with an empty quote.
 */
export function splitSymbol(symbol: string, category: BybitCategory): { base: string; quote: string } {
  if (category === 'inverse') {
    const match = INVERSE_RE.exec(symbol);
    return match?.[1] ? { base: match[1], quote: 'USD' } : { base: symbol, quote: '' };
  }
  const dash = symbol.indexOf('-');
  const head = dash > 0 ? symbol.slice(0, dash) : symbol;
  for (const quote of ['USDT', 'USDC']) {
    if (head.endsWith(quote) && head.length > quote.length) return { base: head.slice(0, -quote.length), quote };
  }
  if (head.endsWith('PERP') && head.length > 4) return { base: head.slice(0, -4), quote: 'USDC' };
  if (dash > 0) return { base: head, quote: 'USDC' };
  return { base: symbol, quote: '' };
}

/** Which category an explicitly configured symbol belongs to, when instruments-info cannot say. */
export function guessCategory(symbol: string): BybitCategory {
  return INVERSE_RE.test(symbol) ? 'inverse' : 'linear';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
