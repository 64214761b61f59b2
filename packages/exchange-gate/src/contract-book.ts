/**
 * The contracts decoding knows, per market, and their round trip through `reference()` /
 * `prepare(reference)` (a recording carries them, so a replay needs no network).
 */
import { GATE_MARKETS, type GateMarket } from './options.js';
import type { GateContract } from './contracts.js';

/**
 * Reference data as `reference()` returns it: `[name, stream, market, base, quote, multiplier]` rows,
 * where `stream` is the market whose stream (settle currency) lists the contract.
 */
export interface GateReference {
  venue: 'gate';
  version: 1;
  contracts: [string, GateMarket, GateMarket, string, string, number][];
}

/** Contracts by market and name. A contract is replaced by a newer listing, never removed. */
export class ContractBook {
  readonly #byMarket: Record<GateMarket, Map<string, GateContract>> = { linear: new Map(), inverse: new Map() };

  /** Record (or update) the contracts of one listing. */
  add(contracts: Iterable<GateContract>, settleMarket: GateMarket): void {
    // Keyed by the stream they arrive on: a BTC-settled listing is read on the `inverse` stream.
    const map = this.#byMarket[settleMarket];
    for (const contract of contracts) map.set(contract.name, Object.freeze(contract));
  }

  /** The contract of `name` on the stream of `settleMarket`, or undefined. */
  get(settleMarket: GateMarket, name: string): GateContract | undefined {
    return this.#byMarket[settleMarket].get(name);
  }

  /** True when some listing of `settleMarket` was loaded. */
  has(settleMarket: GateMarket): boolean {
    return this.#byMarket[settleMarket].size > 0;
  }

  /** The market whose listing names `name`, if any. */
  marketOf(name: string): GateMarket | undefined {
    return GATE_MARKETS.find((market) => this.#byMarket[market].has(name));
  }

  /** Number of known contracts. */
  get size(): number {
    return this.#byMarket.linear.size + this.#byMarket.inverse.size;
  }

  /** Plain JSON for `reference()`, or undefined when nothing is loaded. */
  toReference(): GateReference | undefined {
    if (this.size === 0) return undefined;
    const contracts: GateReference['contracts'] = [];
    for (const settleMarket of GATE_MARKETS) {
      for (const c of this.#byMarket[settleMarket].values()) contracts.push([c.name, settleMarket, c.market, c.base, c.quote, c.multiplier]);
    }
    return { venue: 'gate', version: 1, contracts };
  }

  /**
   * Load what {@link toReference} wrote. Returns false (and loads nothing) for anything else: the value
   * comes from a file, so every row is checked.
   */
  loadReference(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const { venue, version, contracts } = value as Record<string, unknown>;
    if (venue !== 'gate' || version !== 1 || !Array.isArray(contracts)) return false;
    const rows: { contract: GateContract; settleMarket: GateMarket }[] = [];
    for (const row of contracts) {
      if (!Array.isArray(row) || row.length !== 6) return false;
      const [name, settleMarket, market, base, quote, multiplier] = row as unknown[];
      if (typeof name !== 'string' || typeof base !== 'string' || typeof quote !== 'string') return false;
      if (!isMarket(settleMarket) || !isMarket(market)) return false;
      if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier <= 0) return false;
      rows.push({ contract: { name, market, base, quote, multiplier }, settleMarket });
    }
    for (const { contract, settleMarket } of rows) this.add([contract], settleMarket);
    return true;
  }
}

function isMarket(value: unknown): value is GateMarket {
  return value === 'linear' || value === 'inverse';
}
