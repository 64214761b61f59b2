/**
 * HTX reference data: the USDT-margined contract list, `GET /linear-swap-api/v1/swap_contract_info
 * ?business_type=all` (swaps and dated futures in one answer, no paging;
 * https://huobiapi.github.io/docs/usdt_swap/v1/en/#general-query-swap-info).
 *
 * What decoding needs of each contract: `contract_code` (the frames' key), `symbol` (the base coin),
 * `trade_partition` (the quote, USDT) and `contract_size` (base units per contract: 0.001 BTC,
 * 0.01 ETH), which turns a `volume` of contracts into base units when a frame has no `amount`.
 */
import { fetchJson, RestAnswerError } from '@liqmon/core';

/** One contract as decoding needs it. Plain JSON: it is also the reference data a recording keeps. */
export interface HtxContract {
  /** `BTC-USDT`, `ETH-USDT-251226`. */
  code: string;
  base: string;
  quote: string;
  /** Base units per contract (`contract_size`). */
  size: number;
}

/** The reference data of the HTX source, as `reference()` returns it and `prepare(reference)` takes it. */
export interface HtxReference {
  htx: 1;
  contracts: HtxContract[];
}

/** The path of the contract list, below `restUrl`. */
export const CONTRACT_INFO_PATH = '/linear-swap-api/v1/swap_contract_info';

/** `GET {restUrl}/linear-swap-api/v1/swap_contract_info?business_type=all`, every USDT-margined contract. */
export async function fetchContracts(restUrl: string, signal?: AbortSignal): Promise<HtxContract[]> {
  const url = new URL(CONTRACT_INFO_PATH, restUrl);
  // The default business_type is `swap`; `all` adds the dated futures, which share the notification topic.
  url.searchParams.set('business_type', 'all');
  const body = await fetchJson(url, { action: 'cannot list contracts', signal });
  // HTX wraps answers as {"status":"ok","data":[...],"ts":…}; a refusal is {"status":"error","err_code":…,"err_msg":…}.
  if (!isRecord(body)) throw new RestAnswerError(`GET ${url.href} answered without a JSON object`, url.href, 200);
  if (body.status !== 'ok') {
    const reason = `${String(body.err_code ?? '')} ${typeof body.err_msg === 'string' ? body.err_msg : ''}`.trim();
    throw new RestAnswerError(`GET ${url.href} was refused: status ${String(body.status)}${reason ? ` (${reason})` : ''}`, url.href, 200);
  }
  if (!Array.isArray(body.data)) throw new RestAnswerError(`GET ${url.href} answered without a data list`, url.href, 200);
  const contracts: HtxContract[] = [];
  for (const item of body.data) {
    const contract = readContract(item);
    if (contract) contracts.push(contract);
  }
  return contracts;
}

/** One REST entry, or undefined when it lacks what pricing needs (never guessed). */
export function readContract(item: unknown): HtxContract | undefined {
  if (!isRecord(item)) return undefined;
  const { contract_code: code, symbol: base, trade_partition: quote } = item;
  const size = positive(item.contract_size);
  if (typeof code !== 'string' || code === '' || typeof base !== 'string' || base === '' || size === undefined) return undefined;
  return { code, base, quote: typeof quote === 'string' && quote !== '' ? quote : 'USDT', size };
}

/** Reference data read back from a file: the contracts, or undefined when it is not HTX's. */
export function readReference(value: unknown): HtxContract[] | undefined {
  if (!isRecord(value) || value.htx !== 1 || !Array.isArray(value.contracts)) return undefined;
  const contracts: HtxContract[] = [];
  for (const item of value.contracts) {
    if (!isRecord(item)) return undefined;
    const { code, base, quote, size } = item;
    if (typeof code !== 'string' || typeof base !== 'string' || typeof quote !== 'string' || positive(size) === undefined) return undefined;
    contracts.push({ code, base, quote, size: size as number });
  }
  return contracts;
}

/**
 * Contracts by code. Entries are replaced by newer listings, never removed: a late or replayed frame of
 * an expired future still gets its real contract size.
 */
export class ContractBook {
  readonly #byCode = new Map<string, HtxContract>();
  #loaded = false;

  /** Record a listing (or reference data). */
  load(contracts: readonly HtxContract[]): void {
    for (const contract of contracts) this.#byCode.set(contract.code, contract);
    this.#loaded = true;
  }

  get(code: string): HtxContract | undefined {
    return this.#byCode.get(code);
  }

  /** True once a listing was loaded. */
  get loaded(): boolean {
    return this.#loaded;
  }

  get size(): number {
    return this.#byCode.size;
  }

  /** The reference data: every known contract. */
  reference(): HtxReference {
    return { htx: 1, contracts: [...this.#byCode.values()] };
  }
}

/** A positive number (HTX sends numbers; a decimal string is accepted too), or undefined. */
function positive(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(number) && number > 0 ? number : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
