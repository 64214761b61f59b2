/**
 * OKX reference data: the SWAP and FUTURES instrument lists, `GET /api/v5/public/instruments?instType=…`
 * (one answer per type, no paging; https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments).
 *
 * What decoding needs of each instrument:
 * - `ctType` `linear` or `inverse`;
 * - `ctVal` x `ctMult`: what one contract is worth, in `ctValCcy`: the base coin for linear contracts
 *   (BTC-USDT-SWAP: 0.01 BTC), USD for inverse ones (BTC-USD-SWAP: 100 USD);
 * - base and quote from `instFamily` (or `uly`), `BTC-USDT` -> BTC / USDT.
 */
import { fetchJson, RestAnswerError } from '@liqmon/core';
import type { OkxMarket } from './options.js';

/** Instrument types whose liquidations this source watches: perpetual swaps and dated futures. */
export const OKX_INST_TYPES = ['SWAP', 'FUTURES'] as const;

/** `SWAP` or `FUTURES`. */
export type OkxInstType = (typeof OKX_INST_TYPES)[number];

/** One instrument as decoding needs it. Plain JSON: it is also the reference data a recording keeps. */
export interface OkxInstrument {
  /** `BTC-USDT-SWAP`, `BTC-USD-250627`. */
  instId: string;
  instType: OkxInstType;
  market: OkxMarket;
  base: string;
  quote: string;
  /** Contract value (`ctVal`), in base units (linear) or USD (inverse). */
  ctVal: number;
  /** Contract multiplier (`ctMult`). */
  ctMult: number;
}

/** The reference data of the OKX source, as `reference()` returns it and `prepare(reference)` takes it. */
export interface OkxReference {
  okx: 1;
  instruments: OkxInstrument[];
}

/** `GET {restUrl}/api/v5/public/instruments?instType=…`, every instrument of one type. */
export async function fetchInstruments(restUrl: string, instType: OkxInstType, signal?: AbortSignal): Promise<OkxInstrument[]> {
  const url = new URL('/api/v5/public/instruments', restUrl);
  url.searchParams.set('instType', instType);
  const body = await fetchJson(url, { action: `cannot list ${instType} instruments`, signal });
  // OKX wraps every answer as {"code":"0","msg":"","data":[...]}; another code is a refusal.
  if (!isRecord(body) || !Array.isArray(body.data)) throw new RestAnswerError(`GET ${url.href} answered without a data list`, url.href, 200);
  if (body.code !== '0' && body.code !== 0) {
    throw new RestAnswerError(`GET ${url.href} was refused: code ${String(body.code)} ${typeof body.msg === 'string' ? body.msg : ''}`.trim(), url.href, 200);
  }
  const instruments: OkxInstrument[] = [];
  for (const item of body.data) {
    const instrument = readInstrument(item, instType);
    if (instrument) instruments.push(instrument);
  }
  return instruments;
}

/** One REST entry, or undefined when it lacks what pricing needs (never guessed). */
export function readInstrument(item: unknown, instType: OkxInstType): OkxInstrument | undefined {
  if (!isRecord(item) || typeof item.instId !== 'string' || item.instId === '') return undefined;
  const market = item.ctType;
  if (market !== 'linear' && market !== 'inverse') return undefined;
  const ctVal = positive(item.ctVal);
  const ctMult = positive(item.ctMult);
  const family = typeof item.instFamily === 'string' && item.instFamily !== '' ? item.instFamily : item.uly;
  const [base, quote] = typeof family === 'string' ? family.split('-') : [];
  if (ctVal === undefined || ctMult === undefined || !base || !quote) return undefined;
  return { instId: item.instId, instType, market, base, quote, ctVal, ctMult };
}

/** Reference data read back from a file: the instruments, or undefined when it is not OKX's. */
export function readReference(value: unknown): OkxInstrument[] | undefined {
  if (!isRecord(value) || value.okx !== 1 || !Array.isArray(value.instruments)) return undefined;
  const instruments: OkxInstrument[] = [];
  for (const item of value.instruments) {
    if (!isRecord(item)) return undefined;
    const { instId, instType, market, base, quote, ctVal, ctMult } = item;
    if (typeof instId !== 'string' || (instType !== 'SWAP' && instType !== 'FUTURES') || (market !== 'linear' && market !== 'inverse')) return undefined;
    if (typeof base !== 'string' || typeof quote !== 'string' || positive(ctVal) === undefined || positive(ctMult) === undefined) return undefined;
    instruments.push({ instId, instType, market, base, quote, ctVal: ctVal as number, ctMult: ctMult as number });
  }
  return instruments;
}

/**
 * Instruments by `instId`. Entries are replaced by newer listings, never removed: a late or replayed
 * frame of an expired future still gets its real contract value.
 */
export class InstrumentBook {
  readonly #byId = new Map<string, OkxInstrument>();
  readonly #loaded = new Set<OkxInstType>();

  /** Record one type's listing. */
  set(instType: OkxInstType, instruments: readonly OkxInstrument[]): void {
    for (const instrument of instruments) this.#byId.set(instrument.instId, instrument);
    this.#loaded.add(instType);
  }

  /** Record instruments of any type (reference data). */
  load(instruments: readonly OkxInstrument[]): void {
    for (const instrument of instruments) {
      this.#byId.set(instrument.instId, instrument);
      this.#loaded.add(instrument.instType);
    }
  }

  get(instId: string): OkxInstrument | undefined {
    return this.#byId.get(instId);
  }

  /** True once a listing of this type was loaded. */
  loaded(instType: OkxInstType): boolean {
    return this.#loaded.has(instType);
  }

  get size(): number {
    return this.#byId.size;
  }

  /** The reference data: every known instrument. */
  reference(): OkxReference {
    return { okx: 1, instruments: [...this.#byId.values()] };
  }
}

/** OKX sends numbers as decimal strings; > 0 or undefined. */
function positive(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(number) && number > 0 ? number : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
