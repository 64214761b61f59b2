/**
 * Bitget instruments: base and quote of every futures symbol per product type, from
 * `GET /api/v3/market/instruments?category=USDT-FUTURES` (also `USDC-FUTURES`, `COIN-FUTURES`), which
 * answers `{"code":"00000","msg":"success","data":[{"symbol":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT",...}]}`.
 * The liquidation channel reports a quote amount, so no contract size is needed: the list says which
 * symbols exist and what their coins are. Paging: none documented; one request per product type.
 */
import { fetchJson, RestAnswerError } from '@liqmon/core';
import { INST_TYPES, instrumentsUrl, isInstType, type InstType } from './protocol.js';

/** Base and quote of one symbol. */
export interface BaseQuote {
  base: string;
  quote: string;
}

/** Every symbol of one product type. Throws what `fetchJson` throws, or a RestAnswerError. */
export async function fetchInstruments(restUrl: string, instType: InstType, signal?: AbortSignal): Promise<Map<string, BaseQuote>> {
  const url = instrumentsUrl(restUrl, instType);
  const body = await fetchJson(url, { action: `cannot list ${INST_TYPES[instType].category} instruments`, ...(signal ? { signal } : {}) });
  const { code, msg, data } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (code !== '00000' || !Array.isArray(data)) {
    throw new RestAnswerError(`GET ${url.href} answered code ${JSON.stringify(code)} ${typeof msg === 'string' ? msg : ''} without a data list`.trim(), url.href, 200);
  }
  const symbols = new Map<string, BaseQuote>();
  for (const item of data) {
    if (typeof item !== 'object' || item === null) continue;
    const { symbol, baseCoin, quoteCoin } = item as Record<string, unknown>;
    if (typeof symbol !== 'string' || symbol === '' || typeof baseCoin !== 'string' || typeof quoteCoin !== 'string') continue;
    symbols.set(symbol, Object.freeze({ base: baseCoin, quote: quoteCoin }));
  }
  return symbols;
}

/** Reference data as `reference()` returns it: `[instType, symbol, base, quote]` rows. */
export interface BitgetReference {
  venue: 'bitget';
  version: 1;
  instruments: [InstType, string, string, string][];
}

/** Symbols per product type. A symbol is replaced by a newer listing, never removed. */
export class InstrumentBook {
  readonly #byType = new Map<InstType, Map<string, BaseQuote>>();

  /** Record the symbols of one listing. */
  add(instType: InstType, symbols: ReadonlyMap<string, BaseQuote>): void {
    const map = this.#byType.get(instType) ?? new Map<string, BaseQuote>();
    for (const [symbol, coins] of symbols) map.set(symbol, coins);
    this.#byType.set(instType, map);
  }

  /** Base and quote of `symbol` in `instType`, or undefined. */
  get(instType: InstType, symbol: string): BaseQuote | undefined {
    return this.#byType.get(instType)?.get(symbol);
  }

  /** True when a listing of `instType` was loaded. */
  has(instType: InstType): boolean {
    return (this.#byType.get(instType)?.size ?? 0) > 0;
  }

  /** Number of known symbols. */
  get size(): number {
    let size = 0;
    for (const map of this.#byType.values()) size += map.size;
    return size;
  }

  /** Plain JSON for `reference()`, or undefined when nothing is loaded. */
  toReference(): BitgetReference | undefined {
    if (this.size === 0) return undefined;
    const instruments: BitgetReference['instruments'] = [];
    for (const [instType, map] of this.#byType) for (const [symbol, { base, quote }] of map) instruments.push([instType, symbol, base, quote]);
    return { venue: 'bitget', version: 1, instruments };
  }

  /** Load what {@link toReference} wrote; false (nothing loaded) for anything else. */
  loadReference(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const { venue, version, instruments } = value as Record<string, unknown>;
    if (venue !== 'bitget' || version !== 1 || !Array.isArray(instruments)) return false;
    const rows = new Map<InstType, Map<string, BaseQuote>>();
    for (const row of instruments) {
      if (!Array.isArray(row) || row.length !== 4) return false;
      const [instType, symbol, base, quote] = row as unknown[];
      if (!isInstType(instType) || typeof symbol !== 'string' || typeof base !== 'string' || typeof quote !== 'string') return false;
      const map = rows.get(instType) ?? new Map<string, BaseQuote>();
      map.set(symbol, Object.freeze({ base, quote }));
      rows.set(instType, map);
    }
    for (const [instType, map] of rows) this.add(instType, map);
    return true;
  }
}
