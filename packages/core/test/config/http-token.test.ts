/**
 * `http.token`: required as soon as the server is reachable from other machines, and long enough that
 * guessing it is hopeless; never quoted back in an error.
 */
import { describe, expect, it } from 'vitest';
import { brief, configError, load } from './helpers.js';

describe('http.token', () => {
  it('is required when http.host is not loopback', async () => {
    const error = await configError('http: { port: 9464, host: 0.0.0.0 }\n');
    expect(brief(error.issues)).toEqual([
      '1:27 http.host: 0.0.0.0 is reachable from other machines, so http.token is required: add token: "${LIQMON_HTTP_TOKEN}" to http and set LIQMON_HTTP_TOKEN (openssl rand -hex 24), or bind to 127.0.0.1',
    ]);
  });

  it('is optional on loopback, and read from the environment', async () => {
    expect((await load('http: { port: 9464 }\n')).core.http).toMatchObject({ host: '127.0.0.1' });
    expect((await load('http: { port: 9464, host: "::1" }\n')).core.http?.token).toBeUndefined();
    const config = await load('http: { port: 9464, host: 0.0.0.0, token: "${LIQMON_HTTP_TOKEN}" }\n', { LIQMON_HTTP_TOKEN: 'a'.repeat(24) });
    expect(config.core.http?.token).toBe('a'.repeat(24));
  });

  it('must be at least 16 characters, and the error does not show it', async () => {
    const error = await configError('http: { port: 9464, host: 0.0.0.0, token: "${LIQMON_HTTP_TOKEN}" }\n', { LIQMON_HTTP_TOKEN: 'short-secret' });
    const lines = brief(error.issues);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('http.token: the token must be at least 16 characters long (generate one with: openssl rand -hex 24)');
    expect(error.message + lines.join('\n')).not.toContain('short-secret');
  });
});
