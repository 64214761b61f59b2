/**
 * Gate futures contracts: what decoding needs (type, multiplier, base/quote) per settle currency, from
 * `GET /api/v4/futures/<settle>/contracts` (https://www.gate.com/docs/developers/apiv4/en/#list-all-futures-contracts).
 *
 * - `type`: `direct` (linear: one contract is `quanto_multiplier` base units, BTC_USDT 0.0001 BTC) or
 *   `inverse` (BTC-settled BTC_USD: one contract is 1 USD, see the package README: unverified, taken
 *   from peers).
 * - Paging is `limit` + `offset`; the default page size is not documented, so pages are read until
 *   one comes back empty.
 * - Base/quote: the contract name split on `_` (`BTC_USDT` -> BTC/USDT); Gate lists no separate fields.
 */
import { decimalNumber, fetchJson, RestAnswerError } from '@liqmon/core';
import type { GateMarket } from './options.js';
import { contractsUrl, SETTLE } from './protocol.js';

/** One contract as decoding needs it. */
export interface GateContract {
  name: string;
  market: GateMarket;
  base: string;
  quote: string;
  /** Base units per contract (linear); USD per contract (inverse). */
  multiplier: number;
}

/** Asked per page; Gate's maximum is not documented, so the walk does not rely on it. */
const PAGE_LIMIT = 1000;
/** A safety stop against a server that ignores `offset`: 50 pages are 50,000 contracts. */
const MAX_PAGES = 50;
/** USD per contract of Gate's inverse (BTC-settled) contracts. */
export const INVERSE_CONTRACT_USD = 1;

/** Every contract of one market, across pages. Throws what `fetchJson` throws, or a RestAnswerError. */
export async function fetchContracts(restUrl: string, market: GateMarket, signal?: AbortSignal): Promise<GateContract[]> {
  const contracts: GateContract[] = [];
  let firstName: string | undefined;
  // The offset advances by what each page held: a server may answer fewer than `limit` entries.
  for (let page = 0, offset = 0; page < MAX_PAGES; page += 1) {
    const url = contractsUrl(restUrl, market);
    url.searchParams.set('limit', String(PAGE_LIMIT));
    url.searchParams.set('offset', String(offset));
    const body = await fetchJson(url, { action: `cannot list ${SETTLE[market]} contracts`, ...(signal ? { signal } : {}) });
    if (!Array.isArray(body)) throw new RestAnswerError(`GET ${url.href} answered ${JSON.stringify(body).slice(0, 120)}, not a list of contracts`, url.href, 200);
    if (body.length === 0) break;
    const first = readContract(body[0], market)?.name;
    // A server that ignores `offset` answers page 0 again: stop rather than loop.
    if (page > 0 && first !== undefined && first === firstName) break;
    if (page === 0) firstName = first;
    for (const item of body) {
      const contract = readContract(item, market);
      if (contract) contracts.push(contract);
    }
    offset += body.length;
  }
  return contracts;
}

/** One entry of the REST list, or undefined when it cannot be priced (no name, no usable multiplier). */
export function readContract(item: unknown, settleMarket: GateMarket): GateContract | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { name, type, quanto_multiplier: multiplierText } = item as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') return undefined;
  const market: GateMarket = type === 'inverse' ? 'inverse' : type === 'direct' ? 'linear' : settleMarket;
  const multiplier = market === 'inverse' ? INVERSE_CONTRACT_USD : typeof multiplierText === 'string' ? decimalNumber(multiplierText) : Number.NaN;
  if (!Number.isFinite(multiplier) || multiplier <= 0) return undefined;
  const [base = name, quote = ''] = name.split('_');
  return { name, market, base, quote, multiplier };
}
