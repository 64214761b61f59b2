/**
 * One HTTP request over `node:http` and `node:https`: the way liqmon and its plugins talk HTTP (venue
 * REST APIs, chat services, the `status` command).
 *
 * Not `fetch`: on Node 20 the first use of `fetch`, `Headers`, `Request` or `Response` loads undici (a
 * large bundle of JavaScript, and llhttp compiled to WebAssembly), which costs a running liqmon about
 * 10 MB of resident memory for the few requests it makes (docs/decisions/http-client.md).
 *
 * What callers get, as with `fetch`: connections kept alive (Node's global agents), compressed answers
 * (gzip, deflate, br) decompressed, the signal aborting the request and the body. What they also get:
 * a size limit on the decompressed body (answers are untrusted input), checked as it arrives. Redirects
 * are not followed: a 3xx is an answer like any other.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** Largest answer body read by default, in bytes (after decompression). */
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** What {@link httpRequest} sends. */
export interface HttpRequestOptions {
  /** @default 'GET' */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Request headers; `user-agent` defaults to `liqmon`. */
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Aborts the request, or the reading of its answer; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Largest body accepted, in bytes after decompression. @default {@link DEFAULT_MAX_ANSWER_BYTES} */
  maxBytes?: number;
}

/** The headers of an answer, read as `fetch`'s `Headers.get` reads them (names in any letter case). */
export class HttpHeaders {
  readonly #headers: IncomingHttpHeaders;

  constructor(headers: IncomingHttpHeaders | Readonly<Record<string, string>> = {}) {
    const lower: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
    this.#headers = lower;
  }

  /** The value of header `name`, repeated values joined with `, `; null when absent. */
  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/** An answer, whatever its status, with its whole body as text. */
export interface HttpResponse {
  status: number;
  /** The reason phrase (`Not Found`); often empty over HTTP/2 proxies. */
  statusText: string;
  /** 2xx. */
  ok: boolean;
  headers: HttpHeaders;
  text: string;
}

/** {@link httpRequest}'s signature, for the plugins and tests that take another one. */
export type HttpRequester = (url: string | URL, options?: HttpRequestOptions) => Promise<HttpResponse>;

/** An answer's body grew past the limit; the request was given up. Never quotes the URL, which may hold a secret. */
export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';
  /** The HTTP status of the answer. */
  readonly status: number;
  readonly maxBytes: number;

  constructor(status: number, maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes; refused`);
    this.status = status;
    this.maxBytes = maxBytes;
  }
}

/**
 * Send one request and read its whole answer. Resolves for every status; rejects with the signal's
 * reason when `signal` aborts, {@link AnswerTooLargeError} past `maxBytes`, and Node's own errors
 * (`ECONNREFUSED`, `ENOTFOUND`, a reset, a TLS failure, a body that does not decompress) otherwise.
 */
export const httpRequest: HttpRequester = (url, options = {}) => {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<HttpResponse>((resolve, reject) => {
    // A promise settles once: a request error after the answer was read changes nothing.
    const fail = (error: unknown) => reject(signal?.aborted ? (signal.reason as Error) : error);
    try {
      const target = typeof url === 'string' ? new URL(url) : url;
      const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
      if (!client) throw new TypeError(`cannot send an HTTP request to a ${target.protocol} URL`);
      const headers: Record<string, string | number> = { 'user-agent': 'liqmon', 'accept-encoding': 'gzip, deflate, br' };
      for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
      if (options.body !== undefined) headers['content-length'] = Buffer.byteLength(options.body);
      const request = client.request(target, { method: options.method ?? 'GET', headers, ...(signal ? { signal } : {}) }, (answer) => {
        readAnswer(answer, options.maxBytes ?? DEFAULT_MAX_ANSWER_BYTES).then(resolve, fail);
      });
      request.on('error', fail);
      request.end(options.body);
    } catch (error) {
      // An unusable URL or header value (Node checks them before sending anything).
      fail(error);
    }
  });
};

/** The whole body, decompressed, refused as soon as it grows past `maxBytes`. */
function readAnswer(answer: IncomingMessage, maxBytes: number): Promise<HttpResponse> {
  const status = answer.statusCode ?? 0;
  return new Promise((resolve, reject) => {
    const declared = Number(answer.headers['content-length']);
    const body = decoded(answer);
    const refuse = (error: Error) => {
      answer.destroy();
      if (body !== answer) body.destroy();
      reject(error);
    };
    if (body === answer && Number.isFinite(declared) && declared > maxBytes) {
      refuse(new AnswerTooLargeError(status, maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) refuse(new AnswerTooLargeError(status, maxBytes));
      else chunks.push(chunk);
    });
    body.on('end', () =>
      resolve({
        status,
        statusText: answer.statusMessage ?? '',
        ok: status >= 200 && status < 300,
        headers: new HttpHeaders(answer.headers),
        text: Buffer.concat(chunks, size).toString('utf8'),
      }),
    );
    // A body that does not decompress, or a connection cut mid-body: the socket is not reused.
    body.on('error', refuse);
    if (body !== answer) answer.on('error', refuse);
  });
}

/** The body stream, through a decompressor when the answer is compressed. */
function decoded(answer: IncomingMessage): Readable {
  const encoding = answer.headers['content-encoding']?.trim().toLowerCase();
  // Lenient at the end, as browsers and fetch are: some servers cut the last bytes of a compressed body.
  const zlibFlush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const decompressor =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip(zlibFlush)
      : encoding === 'deflate'
        ? zlib.createInflate(zlibFlush)
        : encoding === 'br'
          ? zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })
          : undefined;
  if (!decompressor) return answer;
  answer.pipe(decompressor);
  return decompressor;
}

/** An answer's body parsed as JSON; undefined when it is not JSON (a proxy's HTML error page, an empty body). */
export function answerJson(response: Pick<HttpResponse, 'text'>): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    return undefined;
  }
}
