/** The Discord sink passes core's sink check (limits, error classes, abort, secrets) against a fake receiver. */
import { checkSink, formatSinkReport } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import discord from '../src/index.js';

it('passes the sink check', async () => {
  const report = await checkSink({
    definition: discord,
    // Versioned, so that a 429's retry_after is in seconds (unversioned URLs get milliseconds).
    options: (receiver) => ({ webhookUrl: `${receiver.url}/api/v10/webhooks/112233445566778899/fake-token-abcdefghijklmnop` }),
    replies: {
      ok: { status: 200, body: { id: '1', type: 0 } },
      failure: (status, retryAfter) => ({ body: status === 429 ? { message: 'You are being rate limited.', retry_after: retryAfter, global: false } : { message: `${status}`, code: 0 } }),
    },
  });
  expect(report.ok, formatSinkReport(report)).toBe(true);
});
