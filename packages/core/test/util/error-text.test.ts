import { describe, expect, it } from 'vitest';
import { describeError, networkErrorCode } from '../../src/util/error-text.js';

/** What Node's fetch throws when DNS fails: a bare "fetch failed" with the reason in its cause. */
function fetchFailure(): Error {
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND api.bybit.com'), { code: 'ENOTFOUND' });
  return new TypeError('fetch failed', { cause: dns });
}

describe('describeError', () => {
  it('adds the causes, which say what to fix', () => {
    expect(describeError(fetchFailure())).toBe('fetch failed (getaddrinfo ENOTFOUND api.bybit.com)');
    expect(describeError(new Error('plain'))).toBe('plain');
    expect(describeError('a string')).toBe('a string');
  });
});

describe('networkErrorCode', () => {
  it('finds the system code in the cause chain and never a URL', () => {
    expect(networkErrorCode(fetchFailure())).toBe('ENOTFOUND');
    expect(networkErrorCode(new TypeError('fetch failed to https://api.telegram.org/bot123:SECRET'))).toBe('TypeError');
    expect(networkErrorCode(undefined)).toBe('network error');
  });
});
