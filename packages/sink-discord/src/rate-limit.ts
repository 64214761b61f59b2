/**
 * Discord rate limits, read from every response (https://discord.com/developers/docs/topics/rate-limits):
 * `X-RateLimit-Remaining` (requests left in the bucket) and `X-RateLimit-Reset-After` (seconds, a float,
 * until it refills). Discord asks clients to parse these "to prevent hitting the limit" rather than to
 * hard-code limits, so the pacer holds the next request back when `remaining` reaches 0, instead of
 * running into a 429. The same headers cover the per-channel limit (about 30 messages a minute), which
 * webhooks share.
 */

import type { HttpHeaders } from '@liqmon/core';

/** Added to every header-derived wait: the bucket must have refilled when the request arrives. */
export const PACE_MARGIN_MS = 25;

/** Holds requests back until the bucket the last response described has refilled. */
export class RateLimitPacer {
  private blockedUntil = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Read the rate-limit headers of any response (success or failure). */
  observe(headers: HttpHeaders): void {
    const remaining = numberHeader(headers, 'x-ratelimit-remaining');
    const resetAfter = numberHeader(headers, 'x-ratelimit-reset-after');
    if (remaining !== undefined && remaining <= 0 && resetAfter !== undefined) this.holdFor(resetAfter * 1000 + PACE_MARGIN_MS);
  }

  /** Send nothing for `ms` (a 429's retry-after). Never shortens a longer hold. */
  holdFor(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + Math.ceil(ms));
  }

  /** Milliseconds before the next request may go (0: now). */
  delay(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }
}

/** What a 429 asks for. */
export interface RateLimitAnswer {
  retryAfterMs: number | undefined;
  global: boolean;
  /** `X-RateLimit-Scope`: `user`, `global` or `shared` (the channel's limit, shared by every webhook). */
  scope: string | undefined;
}

/**
 * Read a 429. The body's `retry_after` is in SECONDS (a float) on versioned URLs (`/api/v10/...`), but
 * in MILLISECONDS on unversioned ones (`/api/webhooks/...`, which is what the Discord app gives users):
 * unversioned requests get API v6 behaviour, where it was milliseconds (v8 made it seconds; see
 * https://github.com/discord/discord-api-docs/issues/2360, where an unversioned webhook URL surprised a user). Without a
 * usable body (a Cloudflare page), fall back to `X-RateLimit-Reset-After` and then `Retry-After` (seconds).
 */
export function readRateLimit(body: unknown, headers: HttpHeaders, apiVersion: number | undefined): RateLimitAnswer {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const retryAfter = typeof record.retry_after === 'number' && Number.isFinite(record.retry_after) && record.retry_after >= 0 ? record.retry_after : undefined;
  const fromBody = retryAfter === undefined ? undefined : apiVersion === undefined ? retryAfter : retryAfter * 1000;
  const fromHeaders = numberHeader(headers, 'x-ratelimit-reset-after') ?? numberHeader(headers, 'retry-after');
  const ms = fromBody ?? (fromHeaders === undefined ? undefined : fromHeaders * 1000);
  return {
    retryAfterMs: ms === undefined ? undefined : Math.ceil(ms),
    global: record.global === true || headers.get('x-ratelimit-global') === 'true',
    scope: headers.get('x-ratelimit-scope') ?? undefined,
  };
}

function numberHeader(headers: HttpHeaders, name: string): number | undefined {
  const text = headers.get(name);
  if (text === null || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
