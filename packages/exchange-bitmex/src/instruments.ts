/**
 * The instrument list: `GET /api/v1/instrument/active` (every active instrument in one answer, no
 * paging). Per contract: `isInverse`, `isQuanto`, `multiplier` (in the settlement currency's smallest
 * unit: satoshi for `XBt`, micro-USDT for `USDt`), `underlyingToPositionMultiplier`, `rootSymbol`,
 * `quoteCurrency`, `settlCurrency` (research section 5; Tucsky/aggr bitmex.ts). XBTUSD's `markPrice`
 * is kept as the XBT price that quanto and XBT-quoted contracts are valued with.
 */
import { fetchJson, RestAnswerError, type ReferenceData } from '@liqmon/core';

/** How a contract's size converts: see decode.ts. */
export type ContractKind = 'inverse' | 'linear' | 'quanto';

/** What decoding needs about one contract. */
export interface BitmexInstrument {
  symbol: string;
  kind: ContractKind;
  /** `rootSymbol` with XBT written BTC. */
  base: string;
  /** `quoteCurrency` with XBT written BTC. */
  quote: string;
  /** Settlement units per contract and price unit (negative for inverse contracts). */
  multiplier: number;
  /** Contracts per base unit (linear contracts), when BitMEX gives it. */
  underlyingToPositionMultiplier: number | undefined;
  /** `settlCurrency` as BitMEX writes it: `XBt`, `USDt`. */
  settle: string;
}

/** The list and the XBT price, as `reference()` returns it. */
export interface BitmexReference {
  instruments: BitmexInstrument[];
  /** XBTUSD's mark price when the list was fetched; undefined when it was not listed. */
  xbtUsd: number | undefined;
}

const REFERENCE_VERSION = 1;
/** BitMEX writes bitcoin XBT; liqmon's events say BTC like every other venue. */
export const normalizeCoin = (coin: string): string => (coin === 'XBT' ? 'BTC' : coin);

/** Fetch every active contract. Throws core's REST errors (see `fetchJson`). */
export async function fetchInstruments(restUrl: string, signal: AbortSignal): Promise<BitmexReference> {
  const url = new URL('/api/v1/instrument/active', restUrl);
  const body = await fetchJson(url, { action: 'cannot list instruments', signal });
  if (!Array.isArray(body)) throw new RestAnswerError(`GET ${url.href} answered no instrument list`, url.href, 200);
  const instruments: BitmexInstrument[] = [];
  let xbtUsd: number | undefined;
  for (const item of body as unknown[]) {
    const instrument = readInstrument(item);
    if (instrument) instruments.push(instrument);
    const record = item as { symbol?: unknown; markPrice?: unknown };
    if (record?.symbol === 'XBTUSD' && typeof record.markPrice === 'number' && record.markPrice > 0) xbtUsd = record.markPrice;
  }
  return { instruments, xbtUsd };
}

function readInstrument(item: unknown): BitmexInstrument | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const r = item as Record<string, unknown>;
  const { symbol, rootSymbol, quoteCurrency, settlCurrency, multiplier } = r;
  if (typeof symbol !== 'string' || symbol === '' || symbol.startsWith('.')) return undefined; // `.BXBT`: an index, not a contract
  if (typeof rootSymbol !== 'string' || typeof quoteCurrency !== 'string' || typeof settlCurrency !== 'string') return undefined;
  if (typeof multiplier !== 'number' || multiplier === 0 || !Number.isFinite(multiplier)) return undefined;
  const u2p = r.underlyingToPositionMultiplier;
  return {
    symbol,
    kind: r.isInverse === true ? 'inverse' : r.isQuanto === true ? 'quanto' : 'linear',
    base: normalizeCoin(rootSymbol),
    quote: normalizeCoin(quoteCurrency),
    multiplier,
    underlyingToPositionMultiplier: typeof u2p === 'number' && u2p > 0 ? u2p : undefined,
    settle: settlCurrency,
  };
}

/** The reference as plain JSON. */
export function toReference(reference: BitmexReference): ReferenceData {
  return {
    v: REFERENCE_VERSION,
    xbtUsd: reference.xbtUsd ?? null,
    instruments: reference.instruments.map((i) => [i.symbol, i.kind, i.base, i.quote, i.multiplier, i.underlyingToPositionMultiplier ?? null, i.settle]),
  };
}

/** The reference back from `reference()` output (read from a file), or undefined when it is not ours. */
export function fromReference(value: ReferenceData): BitmexReference | undefined {
  const shape = value as { v?: unknown; xbtUsd?: unknown; instruments?: unknown } | null;
  if (typeof shape !== 'object' || shape === null || shape.v !== REFERENCE_VERSION || !Array.isArray(shape.instruments)) return undefined;
  const instruments: BitmexInstrument[] = [];
  for (const entry of shape.instruments as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 7) return undefined;
    const [symbol, kind, base, quote, multiplier, u2p, settle] = entry as unknown[];
    if (typeof symbol !== 'string' || (kind !== 'inverse' && kind !== 'linear' && kind !== 'quanto') || typeof base !== 'string' || typeof quote !== 'string') return undefined;
    if (typeof multiplier !== 'number' || typeof settle !== 'string' || (u2p !== null && typeof u2p !== 'number')) return undefined;
    instruments.push({ symbol, kind, base, quote, multiplier, underlyingToPositionMultiplier: u2p ?? undefined, settle });
  }
  return { instruments, xbtUsd: typeof shape.xbtUsd === 'number' && shape.xbtUsd > 0 ? shape.xbtUsd : undefined };
}
