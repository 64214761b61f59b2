/**
 * The instrument list: `GET /api/v2/public/get_instruments?currency=any&kind=future` (every active
 * future and perpetual of every currency in one answer, no paging;
 * https://docs.deribit.com/api-reference/market-data/public-get_instruments).
 *
 * Per instrument: `instrument_type` `reversed` (inverse: `amount` in USD) or `linear` (`amount` in the
 * base coin), `base_currency`, `quote_currency`. Older answers carry `future_type` instead of
 * `instrument_type` (deprecated, same values); it is read as a fallback.
 */
import { fetchJson, RestAnswerError, type ReferenceData } from '@liqmon/core';
import type { DeribitMarket } from './options.js';
import { INSTRUMENTS_PATH } from './protocol.js';

/** What decoding needs about one instrument. */
export interface DeribitInstrument {
  /** Deribit's name, e.g. `BTC-PERPETUAL`, `ETH_USDC-PERPETUAL`, `BTC-27MAR26`. */
  name: string;
  market: DeribitMarket;
  /** `base_currency`, e.g. `BTC`. */
  base: string;
  /** `quote_currency`, e.g. `USD` (inverse) or `USDC` (linear). */
  quote: string;
}

/** Version of the shape {@link toReference} writes; a recording of another version is not used. */
const REFERENCE_VERSION = 1;

/** The list as `reference()` returns it: `[name, market, base, quote]` per instrument. */
interface ReferenceShape {
  v: typeof REFERENCE_VERSION;
  instruments: [string, DeribitMarket, string, string][];
}

/** Fetch every active future and perpetual. Throws core's REST errors (see `fetchJson`). */
export async function fetchInstruments(restUrl: string, signal: AbortSignal): Promise<DeribitInstrument[]> {
  const url = new URL(INSTRUMENTS_PATH, restUrl);
  url.searchParams.set('currency', 'any');
  url.searchParams.set('kind', 'future');
  const body = await fetchJson(url, { action: 'cannot list instruments', signal });
  const result = (body as { result?: unknown } | null)?.result;
  if (!Array.isArray(result)) {
    const error = (body as { error?: { message?: unknown } } | null)?.error;
    throw new RestAnswerError(`GET ${url.href} answered no result list${error ? ` (error: ${String(error.message)})` : ''}`, url.href, 200);
  }
  const instruments: DeribitInstrument[] = [];
  for (const item of result) {
    const instrument = readInstrument(item);
    if (instrument) instruments.push(instrument);
  }
  return instruments;
}

function readInstrument(item: unknown): DeribitInstrument | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const record = item as Record<string, unknown>;
  const type = record.instrument_type ?? record.future_type;
  const market: DeribitMarket | undefined = type === 'reversed' ? 'inverse' : type === 'linear' ? 'linear' : undefined;
  const { instrument_name: name, base_currency: base, quote_currency: quote } = record;
  if (!market || typeof name !== 'string' || name === '' || typeof base !== 'string' || base === '' || typeof quote !== 'string' || quote === '') {
    return undefined;
  }
  return { name, market, base, quote };
}

/** The list as plain JSON for `reference()`. */
export function toReference(instruments: Iterable<DeribitInstrument>): ReferenceData {
  const shape: ReferenceShape = { v: REFERENCE_VERSION, instruments: [] };
  for (const { name, market, base, quote } of instruments) shape.instruments.push([name, market, base, quote]);
  return shape;
}

/** The list back from `reference()` output (read from a file), or undefined when it is not ours. */
export function fromReference(reference: ReferenceData): DeribitInstrument[] | undefined {
  const shape = reference as Partial<ReferenceShape> | null;
  if (typeof shape !== 'object' || shape === null || shape.v !== REFERENCE_VERSION || !Array.isArray(shape.instruments)) return undefined;
  const instruments: DeribitInstrument[] = [];
  for (const entry of shape.instruments as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 4) return undefined;
    const [name, market, base, quote] = entry as unknown[];
    if (typeof name !== 'string' || (market !== 'linear' && market !== 'inverse') || typeof base !== 'string' || typeof quote !== 'string') return undefined;
    instruments.push({ name, market, base, quote });
  }
  return instruments;
}
