/**
 * One GET of a venue's REST API for reference data (instrument lists, contract sizes), with the checks
 * every source needs: a timeout, the stop signal, a size limit on the answer (it is untrusted input),
 * and errors that say what failed where. Network failures, timeouts, 5xx and 429 are the venue's
 * trouble and worth a retry (`SourceUnreachableError`, logged as one line by core); any other status
 * or a body that is not JSON is a `RestAnswerError`, with the URL and the status.
 */
import { LiqmonError, SourceUnreachableError } from '../errors.js';
import { AnswerTooLargeError, DEFAULT_MAX_ANSWER_BYTES, httpRequest, type HttpResponse } from './http-client.js';

/** Largest answer accepted by default, in bytes: an instrument list of every venue is a few MB. */
export const DEFAULT_MAX_REST_BYTES = DEFAULT_MAX_ANSWER_BYTES;

/** Default time a request may take before it is given up, in ms. */
export const DEFAULT_REST_TIMEOUT_MS = 10_000;

/** Options of {@link fetchJson}. */
export interface FetchJsonOptions {
  /** What is being loaded, in a few words without the host (`cannot list linear instruments`). */
  action: string;
  /** Aborts the request (pass the plugin context's `signal`). */
  signal?: AbortSignal;
  /** @default 10_000 */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. @default 32 MiB */
  maxBytes?: number;
  /** Request headers. */
  headers?: Readonly<Record<string, string>>;
}

/** A venue answered a REST request, but not with what a source can use (a 4xx, a body that is not JSON). */
export class RestAnswerError extends LiqmonError {
  /** The URL requested. */
  readonly url: string;
  /** The HTTP status of the answer. */
  readonly status: number;

  constructor(message: string, url: string, status: number, options?: { cause?: unknown }) {
    super('LIQMON_REST_ANSWER', message, {
      hint: 'Check the source\'s restUrl option; if it is right, the venue changed its API: please report it.',
      ...(options?.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.url = url;
    this.status = status;
  }
}

/**
 * GET `url` and parse its JSON body. Throws {@link SourceUnreachableError} (retry later) for network
 * failures, timeouts, HTTP 5xx and 429, {@link RestAnswerError} for other statuses, a body larger than
 * `maxBytes` or one that is not JSON. A stopped source (aborted `signal`) rejects with the abort reason.
 */
export async function fetchJson(url: string | URL, options: FetchJsonOptions): Promise<unknown> {
  const href = String(url);
  const host = new URL(href).host;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_REST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REST_BYTES;
  let response: HttpResponse;
  try {
    response = await httpRequest(href, { signal, maxBytes, ...(options.headers ? { headers: options.headers } : {}) });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof AnswerTooLargeError) throw new RestAnswerError(`GET ${href} answered more than ${maxBytes} bytes; refused`, href, error.status);
    throw new SourceUnreachableError(options.action, host, { cause: error });
  }
  if (response.status >= 500 || response.status === 429) throw new SourceUnreachableError(options.action, host, { status: response.status });
  if (!response.ok) throw new RestAnswerError(`GET ${href} answered HTTP ${response.status}`, href, response.status);
  try {
    return JSON.parse(response.text) as unknown;
  } catch (error) {
    throw new RestAnswerError(`GET ${href} answered a body that is not JSON (${response.text.length} characters)`, href, response.status, { cause: error });
  }
}
