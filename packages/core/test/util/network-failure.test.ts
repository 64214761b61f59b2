import { createMemoryLogger } from '../../src/testing/memory-logger.js';
import { describe, expect, it } from 'vitest';
import { SourceUnreachableError } from '../../src/errors.js';
import { failureText, logFailure, networkFailure, retryText } from '../../src/util/network-failure.js';

const sysError = (code: string, message: string, extra: object = {}) => Object.assign(new Error(message), { code, ...extra });
/** What Node's fetch throws when DNS fails: a bare "fetch failed" with the reason in its cause. */
const fetchFailed = (cause: Error) => new TypeError('fetch failed', { cause });

const capture = () => createMemoryLogger('debug');

describe('networkFailure', () => {
  it('recognises the expected failures: DNS, refused, reset, timeouts, TLS, HTTP 5xx and 429', () => {
    expect(networkFailure(fetchFailed(sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.bybit.com', { hostname: 'api.bybit.com' })))).toEqual({
      cause: 'ENOTFOUND',
      host: 'api.bybit.com',
    });
    expect(networkFailure(sysError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN x'))?.cause).toBe('EAI_AGAIN');
    expect(networkFailure(fetchFailed(sysError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')))?.cause).toBe('ECONNREFUSED');
    expect(networkFailure(sysError('ECONNRESET', 'read ECONNRESET'))?.cause).toBe('ECONNRESET');
    expect(networkFailure(fetchFailed(sysError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error')))?.cause).toBe('timeout');
    expect(networkFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))?.cause).toBe('timeout');
    expect(networkFailure(new Error('Opening handshake has timed out'))?.cause).toBe('timeout');
    expect(networkFailure(sysError('CERT_HAS_EXPIRED', 'certificate has expired'))?.cause).toBe('TLS CERT_HAS_EXPIRED');
    expect(networkFailure(sysError('ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match'))?.cause).toBe('TLS ERR_TLS_CERT_ALTNAME_INVALID');
    expect(networkFailure(new Error('Unexpected server response: 502'))?.cause).toBe('HTTP 502');
    expect(networkFailure(new SourceUnreachableError('cannot list instruments', 'api.bybit.com', { status: 503 }))).toEqual({
      cause: 'HTTP 503',
      action: 'cannot list instruments',
      host: 'api.bybit.com',
    });
  });

  it('does not excuse bugs or refusals a retry cannot cure', () => {
    expect(networkFailure(new TypeError("Cannot read properties of undefined (reading 'list')"))).toBeUndefined();
    expect(networkFailure(new Error('Unexpected server response: 404'))).toBeUndefined();
    expect(networkFailure(new SourceUnreachableError('cannot list instruments', 'x', { status: 403 }))).toBeUndefined();
    expect(networkFailure('a string')).toBeUndefined();
  });
});

describe('logFailure', () => {
  it('logs an expected failure as ONE warn line (who, what, host, cause, next try) and the stack only at debug', () => {
    const { logger, lines } = capture();
    const error = new SourceUnreachableError('cannot list instruments', 'api.bybit.com', {
      cause: fetchFailed(sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.bybit.com', { hostname: 'api.bybit.com' })),
    });
    const line = logFailure(logger, { subject: 'bybit', action: 'source failed to start', error, retryInMs: 8_000, now: Date.UTC(2026, 11, 4, 13, 45, 4) });
    expect(line).toBe('bybit: cannot list instruments (api.bybit.com): ENOTFOUND; retrying in 8s (at 13:45:12 UTC)');
    const warn = lines.filter((l) => l['level'] === 40);
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({ msg: line, host: 'api.bybit.com', cause: 'ENOTFOUND', retryInMs: 8_000 });
    expect(warn[0]).not.toHaveProperty('err');
    expect(lines.filter((l) => l['level'] === 20)[0]).toHaveProperty('err.stack');
    expect(lines.some((l) => (l['level'] as number) >= 50)).toBe(false);
  });

  it('logs anything else as an error with its stack', () => {
    const { logger, lines } = capture();
    logFailure(logger, { subject: 'bybit', action: 'source failed to start', error: new TypeError('x is undefined'), retryInMs: 1_000 });
    expect(lines[0]).toMatchObject({ level: 50, msg: expect.stringMatching(/^bybit: source failed to start: x is undefined; retrying in 1s/) });
    expect(lines[0]).toHaveProperty('err.stack');
  });

  it('says failures in a few words for health and summaries', () => {
    const dns = new SourceUnreachableError('cannot list instruments', 'api.bybit.com', { cause: fetchFailed(sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.bybit.com')) });
    expect(failureText(dns)).toBe('cannot list instruments: ENOTFOUND');
    expect(failureText(sysError('ECONNREFUSED', 'connect ECONNREFUSED'), 'cannot connect')).toBe('cannot connect: ECONNREFUSED');
    expect(failureText(new Error('boom\nsecond line'), 'cannot connect')).toBe('cannot connect: boom');
    expect(retryText(3_600_000, 0)).toBe('in 1h (at 01:00:00 UTC)');
    expect(retryText(500, 0)).toBe('in 0.5s (at 00:00:00 UTC)');
  });
});
